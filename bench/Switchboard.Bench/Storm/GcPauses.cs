using System.Diagnostics.Tracing;

namespace Switchboard.Bench.Storm;

/// <summary>
/// Every garbage-collection pause of this process, from the runtime's own events (execution engine suspended
/// → restarted), as intervals in UTC. A total pause (<see cref="GC.GetTotalPauseDuration"/>) cannot say whether
/// a slow status answer waited for the collector or for the actors; intervals can: a query's latency minus the
/// pauses that overlap it is what the control path itself took.
/// </summary>
internal sealed class GcPauses : EventListener
{
    private const int GcKeyword = 0x1;
    private const int GcStart = 1;
    private const int SuspendEngineBegin = 9;
    private const int SuspendEngineEnd = 8;
    private const int RestartEngineEnd = 3;
    private const int HeapStats = 4;
    private const int GcEnd = 2;
    private const int MarkWithType = 202;

    // GCStart's reasons, as the runtime numbers them: why a collection ran says what would avoid it.
    private static readonly string[] Reasons = ["small allocation", "induced", "low memory", "empty", "large allocation", "out of space (small)", "out of space (large)", "induced, not forced", "internal", "induced, low memory", "induced, compacting", "low memory, host", "PM full", "low memory, host, blocking", "bgc stepping", "bgc tuning", "aggressive"];

    // GCMarkWithType's root kinds, as the runtime numbers them; each event ends the stage that marked from them.
    private static readonly string[] RootKinds = ["stack", "finalize queue", "handles", "cards", "sized refs", "overflow", "dependent handles", "new finalize queue", "steal", "bgc roots"];

    private readonly List<(DateTime Start, DateTime End)> _pauses = [];
    private readonly List<int> _generations = [];
    private readonly List<string> _reasons = [];
    private readonly List<TimeSpan> _suspending = [];
    private readonly List<(long Promoted, long Pinned)> _survivors = [];
    private (long Promoted, long Pinned) _survived;
    private DateTime? _suspendedAt;
    private TimeSpan _suspendTook;
    private int _generation = -1;
    private string _reason = "";
    private readonly List<string> _stages = [];
    private readonly System.Text.StringBuilder _stage = new();
    private DateTime _stageAt;

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, EventLevel.Informational, (EventKeywords)GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        lock (_pauses)
        {
            switch (e.EventId)
            {
                case SuspendEngineBegin:
                    _suspendedAt = e.TimeStamp.ToUniversalTime();
                    _generation = -1;
                    _reason = "";
                    _suspendTook = TimeSpan.Zero;
                    _survived = default;
                    break;
                case SuspendEngineEnd when _suspendedAt is { } began:
                    // Bringing every managed thread to a safe point: a thread the OS has not scheduled cannot get there.
                    _suspendTook = e.TimeStamp.ToUniversalTime() - began;
                    break;
                case GcStart when e.PayloadNames?.IndexOf("Depth") is >= 0 and var depth:
                    // A background collection starts inside a pause but runs after it: the pause is its start.
                    _generation = Math.Max(_generation, Convert.ToInt32(e.Payload![depth], System.Globalization.CultureInfo.InvariantCulture));
                    _stageAt = e.TimeStamp.ToUniversalTime();
                    _stage.Clear();
                    var reason = (int)Payload(e, e.Payload!, "Reason");
                    _reason = reason >= 0 && reason < Reasons.Length ? Reasons[reason] : reason.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case MarkWithType when e.Payload is { } payload && _stageAt != default:
                    // Where a pause goes: each mark stage ends with one of these, so the gap before it is that stage's time.
                    var kind = (int)Payload(e, payload, "Type");
                    var at = e.TimeStamp.ToUniversalTime();
                    _stage.Append(System.Globalization.CultureInfo.InvariantCulture, $"{(kind >= 0 && kind < RootKinds.Length ? RootKinds[kind] : kind.ToString(System.Globalization.CultureInfo.InvariantCulture))} {(at - _stageAt).TotalMilliseconds:F1}, ");
                    _stageAt = at;
                    break;
                case GcEnd when _stageAt != default:
                    _stage.Append(System.Globalization.CultureInfo.InvariantCulture, $"plan/copy {(e.TimeStamp.ToUniversalTime() - _stageAt).TotalMilliseconds:F1}");
                    _stageAt = default;
                    break;
                case HeapStats when e.Payload is { } payload:
                    // What the pause had to copy (promoted out of gens 0 and 1) and what it could not move.
                    _survived = (Payload(e, payload, "TotalPromotedSize0") + Payload(e, payload, "TotalPromotedSize1"), Payload(e, payload, "PinnedObjectCount"));
                    break;
                case RestartEngineEnd when _suspendedAt is { } start:
                    _pauses.Add((start, e.TimeStamp.ToUniversalTime()));
                    _generations.Add(_generation);
                    _reasons.Add(_reason);
                    _suspending.Add(_suspendTook);
                    _survivors.Add(_survived);
                    _stages.Add(_stage.ToString());
                    _stage.Clear();
                    _suspendedAt = null;
                    break;
            }
        }
    }

    /// <summary>The pauses that began at or after <paramref name="since"/>.</summary>
    public List<(DateTime Start, DateTime End)> Since(DateTime since)
    {
        lock (_pauses)
        {
            return [.. _pauses.Where(p => p.Start >= since)];
        }
    }

    /// <summary>The pauses in [<paramref name="from"/>, <paramref name="to"/>) of at least <paramref name="min"/>, as "ms (gen N, why, when into the window, ms suspending, MiB promoted, objects pinned)".</summary>
    public List<string> Describe(DateTime from, DateTime to, TimeSpan min)
    {
        lock (_pauses)
        {
            return [.. _pauses.Select((p, i) => (p, i))
                .Where(x => x.p.Start >= from && x.p.Start < to && x.p.End - x.p.Start >= min)
                .Select(x => FormattableString.Invariant($"{(x.p.End - x.p.Start).TotalMilliseconds:F1} ms (gen {_generations[x.i]}, {_reasons[x.i]}, at {(x.p.Start - from).TotalSeconds:F2} s, {_suspending[x.i].TotalMilliseconds:F1} suspending, {_survivors[x.i].Promoted / 1048576.0:F1} MiB promoted, {_survivors[x.i].Pinned} pinned; ms in {_stages[x.i]})"))];
        }
    }

    /// <summary>A runtime event's numeric field by name, 0 when the event has none.</summary>
    internal static long Payload(EventWrittenEventArgs e, IReadOnlyList<object?> payload, string name) =>
        e.PayloadNames?.IndexOf(name) is >= 0 and var i ? Convert.ToInt64(payload[i], System.Globalization.CultureInfo.InvariantCulture) : 0;

    /// <summary>How long <paramref name="pauses"/> overlap [<paramref name="from"/>, <paramref name="to"/>].</summary>
    public static TimeSpan Overlap(IEnumerable<(DateTime Start, DateTime End)> pauses, DateTime from, DateTime to)
    {
        var total = TimeSpan.Zero;
        foreach (var (start, end) in pauses)
        {
            var s = start > from ? start : from;
            var e = end < to ? end : to;
            if (e > s)
            {
                total += e - s;
            }
        }

        return total;
    }
}
