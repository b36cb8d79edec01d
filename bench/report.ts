/** One measured figure, printed beside its budget when it has one. */
export interface Figure {
  name: string
  value: number
  unit: string
  /** The budget and whether the figure must stay at most (`max`) or at least (`min`) that. */
  budget?: { limit: number; kind: 'max' | 'min' }
}

export function printFigures(title: string, figures: readonly Figure[]): boolean {
  console.log(`\n${title}`)
  let withinBudget = true
  for (const figure of figures) {
    const value = `${round(figure.value)} ${figure.unit}`
    if (!figure.budget) {
      console.log(`  ${figure.name.padEnd(52)} ${value.padStart(18)}   (no budget)`)
      continue
    }
    const { limit, kind } = figure.budget
    const ratio = figure.value / limit
    const ok = kind === 'max' ? figure.value <= limit : figure.value >= limit
    withinBudget &&= ok
    const budget = `${kind === 'max' ? '≤' : '≥'} ${round(limit)} ${figure.unit}`
    console.log(`  ${figure.name.padEnd(52)} ${value.padStart(18)}   budget ${budget.padEnd(16)} ratio ${ratio.toFixed(2)} ${ok ? 'ok' : 'OVER BUDGET'}`)
  }
  return withinBudget
}

function round(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)
}
