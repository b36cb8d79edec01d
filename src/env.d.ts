/// <reference types="vite/client" />

// JsBarcode's Code 128 symbol table (symbols 0–106 as bar/space modules), read by the ZPL preview.
declare module 'jsbarcode/bin/barcodes/CODE128/constants.js' {
  export const BARS: readonly number[]
}
