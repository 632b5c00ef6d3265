namespace Switchboard.Resumption;

/// <summary>
/// What the resumption cache tells status and metrics, readable from any thread: the cache actor writes the
/// budget and the count of endpoints without a session when it recounts (within 5 s of a change), and sessions and
/// bytes are read from the store's own counters.
/// </summary>
internal sealed class ResumptionGauges
{
    private Func<SessionStoreCounters>? _counters;
    private long _budget;
    private int _endpoints;
    private int _withoutSession;

    public long Sessions => _counters?.Invoke().Entries ?? 0;

    public long Bytes => _counters?.Invoke().Bytes ?? 0;

    public long Budget => Volatile.Read(ref _budget);

    /// <summary>Endpoints that have asked for a session at least once and are not removed.</summary>
    public int Endpoints => Volatile.Read(ref _endpoints);

    /// <summary>Of those, the ones with no live session stored: each would pay a full handshake on its next attempt.</summary>
    public int EndpointsWithoutSession => Volatile.Read(ref _withoutSession);

    public void Attach(Func<SessionStoreCounters> counters) => _counters = counters;

    public void Publish(long budget, int endpoints, int withoutSession)
    {
        Volatile.Write(ref _budget, budget);
        Volatile.Write(ref _endpoints, endpoints);
        Volatile.Write(ref _withoutSession, withoutSession);
    }
}
