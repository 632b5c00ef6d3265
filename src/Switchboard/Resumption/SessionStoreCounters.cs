namespace Switchboard.Resumption;

/// <summary>
/// A snapshot of a <see cref="SessionStore{TValue}"/>'s counters for metrics. Summed over sub-caches without
/// taking their locks, so the fields may come from slightly different instants.
/// </summary>
/// <param name="Hits">Lookups (get or take) that found a live value.</param>
/// <param name="Misses">Lookups that found nothing live.</param>
/// <param name="Taken">Values handed over to the caller by a take; they left the store but were not evicted.</param>
/// <param name="Stored">Values accepted by put or add.</param>
/// <param name="Rejected">Values refused: bigger than a sub-cache's share, or already expired.</param>
/// <param name="QuickRejects">Index candidates dismissed on their stored hash and length, without comparing key bytes.</param>
/// <param name="KeyMismatches">Candidates that passed the quick check but differed in their full key.</param>
/// <param name="Keys">Keys holding at least one value (endpoints with a session, on the client).</param>
/// <param name="EvictedFullLast">Values scrolled out of a full sub-cache that were their key's last.</param>
internal readonly record struct SessionStoreCounters(
    long Entries,
    long Keys,
    long Bytes,
    long Hits,
    long Misses,
    long Taken,
    long Stored,
    long Rejected,
    long EvictedExpired,
    long EvictedFull,
    long EvictedFullLast,
    long EvictedReplaced,
    long EvictedRemoved,
    long QuickRejects,
    long KeyMismatches)
{
    public long Evicted => EvictedExpired + EvictedFull + EvictedFullLast + EvictedReplaced + EvictedRemoved;
}
