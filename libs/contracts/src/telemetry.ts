/** The most samples one batch message may carry. */
export const MAX_SAMPLES_PER_BATCH = 500;
