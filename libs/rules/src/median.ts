/** The middle value (the mean of the two middle ones for an even count): one outlier cannot move it. */
export function median(values: ArrayLike<number>): number {
  return medianInPlace(Float64Array.from(values));
}

/** The median of `values`, sorting them where they are (no copy: for hot paths). */
export function medianInPlace(values: Float64Array): number {
  values.sort();
  const middle = values.length >> 1;
  return values.length % 2 === 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}
