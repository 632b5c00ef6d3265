namespace Switchboard.Resumption;

/// <summary>
/// How big the client session cache is under <c>resumption.max-bytes = auto</c>: room for two sessions per
/// endpoint at the mean size seen so far, between a floor and a ceiling (architecture §9).
/// </summary>
/// <remarks>
/// Two, not one: keys spread over sub-caches by hash, so a sub-cache holds a few percent more endpoints than the
/// mean, and a link that drops again before its new ticket arrives leaves a spare to take. Eviction gives
/// breadth before depth, so the second half is spent on spares only while every endpoint has one session.
/// </remarks>
internal static class ResumptionBudget
{
    /// <summary>The session size assumed before the first one arrives: an RSA-4096 pair's, the largest common one.</summary>
    public const long AssumedSessionBytes = 4096;

    public const int SessionsPerEndpoint = 2;

    public const long Ceiling = 1L << 30;

    /// <summary>The listener's TLS 1.2 session-ID cache under auto: it serves as many agents as dial in, unknown in advance.</summary>
    public const long ServerBytes = 16L << 20;

    /// <summary>A few endpoints still get a few sessions per sub-cache (any key may land in any of them).</summary>
    public static long Floor(int subCaches) => Math.Max(2L << 20, subCaches * 16L * 1024);

    /// <param name="meanEntryBytes">Mean charged size of the entries seen (key, session and overhead); 0 if none yet.</param>
    public static long For(int endpoints, long meanEntryBytes, int subCaches)
    {
        var entry = meanEntryBytes > 0 ? meanEntryBytes : AssumedSessionBytes + SessionStore<object>.EntryOverhead;
        var wanted = (long)endpoints * SessionsPerEndpoint * entry;
        var bytes = Math.Clamp(wanted, Floor(subCaches), Ceiling);
        // Equal shares: a budget the sub-cache count divides is the budget actually enforced.
        return bytes / subCaches * subCaches;
    }
}
