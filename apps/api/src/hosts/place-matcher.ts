/** Whether a zone, pod or cluster asked by id or by name (any case, spaces around ignored) is the one a record names. */
export function placeMatcher(asked: string): (id?: string, name?: string) => boolean {
  const wanted = asked.trim().toLowerCase();
  return (id, name) => id?.toLowerCase() === wanted || name?.toLowerCase() === wanted;
}
