// The live tiles' arithmetic: the longest wait counts on in the browser between the api's readings.

/**
 * Seconds the longest-waiting conversation has waited by `now`: what the api said when it read the
 * queue, plus the time since that reading arrived here. Counting from the reading's arrival (not from
 * `oldestWaitingSince`) keeps a browser clock that is off from showing a wrong wait. Null: nobody waits.
 */
export function longestWaitNow(longestWaitSeconds: number | null, receivedAt: number, now: number): number | null {
	if (longestWaitSeconds === null) return null;
	return longestWaitSeconds + Math.max(0, Math.floor((now - receivedAt) / 1000));
}
