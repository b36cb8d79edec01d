import type en from './locales/en'

/** A catalogue's shape: the English one's keys, each a message in the language's own words. */
type Messages<T> = { [K in keyof T]: T[K] extends string ? string : Messages<T[K]> }

export type Catalogue = Messages<typeof en>
