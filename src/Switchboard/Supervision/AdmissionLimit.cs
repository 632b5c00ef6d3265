namespace Switchboard.Supervision;

/// <summary>
/// How many handshakes may run at once. Fixed, or adaptive: additive increase while handshakes finish
/// within the latency target, multiplicative decrease when one takes longer (AIMD, as TCP's congestion
/// window and adaptive concurrency limiters do). A handshake's latency is its time from the admission
/// grant to its outcome; under a CPU-bound storm it grows with the number in flight (Little's law), so
/// holding it under the target keeps every admitted handshake far from handshake-timeout while cheap
/// handshakes (P-256 on a fast peer) are allowed to run many at once.
/// <para>
/// A handshake that times out is no sample: a peer that stalls says nothing about load, and cutting the
/// limit for it would make a few dead agents slow every other endpoint's reconnect. Real overload still
/// shows, in the handshakes that do finish, slower than the target, long before any times out; and the
/// limit only ever grows on handshakes that finished fast, so it cannot run ahead of what the machine
/// and its peers sustain.
/// </para>
/// Not thread-safe: the admission gate calls it under its lock.
/// </summary>
internal sealed class AdmissionLimit
{
    /// <summary>On congestion the limit is multiplied by this.</summary>
    private const double Backoff = 0.7;

    private readonly int _min;
    private readonly int _max;
    private readonly TimeSpan _target;
    private double _limit;
    private bool _slowStart = true;
    private TimeSpan? _lastDecrease;

    private AdmissionLimit(int initial, int min, int max, TimeSpan target, bool adaptive)
    {
        _min = min;
        _max = max;
        _target = target;
        _limit = Math.Clamp(initial, min, max);
        Adaptive = adaptive;
    }

    public bool Adaptive { get; }

    /// <summary>Handshakes allowed in flight now.</summary>
    public int Current => (int)_limit;

    public static AdmissionLimit Fixed(int limit) => new(limit, limit, limit, TimeSpan.MaxValue, adaptive: false);

    /// <param name="initial">Where to start; slow start doubles it each round trip until the first congestion.</param>
    /// <param name="target">A handshake slower than this signals congestion.</param>
    public static AdmissionLimit Adapting(int initial, int min, int max, TimeSpan target) => new(initial, min, max, target, adaptive: true);

    /// <summary>One handshake ended on its merits: it succeeded, or the peer's answer failed it.</summary>
    /// <param name="latency">From the grant to the outcome.</param>
    /// <param name="now">A monotonic clock, to limit decreases to one per target interval.</param>
    public void OnSample(TimeSpan latency, TimeSpan now)
    {
        if (!Adaptive)
        {
            return;
        }

        if (latency > _target)
        {
            // Handshakes that finish within one target interval of a decrease were admitted before it:
            // they report the old limit's congestion, and cutting again for each would collapse the limit.
            if (_lastDecrease is not { } last || now - last >= _target)
            {
                _limit = Math.Max(_min, _limit * Backoff);
                _slowStart = false;
                _lastDecrease = now;
            }

            return;
        }

        // Slow start: +1 per success doubles the limit every round of handshakes; afterwards +1 per round.
        _limit = Math.Min(_max, _limit + (_slowStart ? 1 : 1 / _limit));
    }
}
