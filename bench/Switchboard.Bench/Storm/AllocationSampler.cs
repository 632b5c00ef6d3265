using System.Diagnostics.Tracing;
using System.Globalization;

namespace Switchboard.Bench.Storm;

/// <summary>
/// What this process allocates, by type, from the runtime's allocation ticks: one event per ~100 KB
/// allocated, naming the type of the object that crossed the mark. Over a phase of tens of megabytes that
/// is a sample of a thousand or more, enough to rank the types that a handshake allocates without a
/// profiler attached. Opt-in (<c>storm --allocations</c>): the verbose level it needs costs a little.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const int GcKeyword = 0x1;
    private const int AllocationTick = 10;

    private readonly Dictionary<string, long> _bytes = new(StringComparer.Ordinal);

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, EventLevel.Verbose, (EventKeywords)GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventId != AllocationTick || e.Payload is not { } payload || e.PayloadNames is not { } names)
        {
            return;
        }

        var type = names.IndexOf("TypeName") is >= 0 and var t ? payload[t] as string ?? "?" : "?";
        var amount = GcPauses.Payload(e, payload, "AllocationAmount64");
        lock (_bytes)
        {
            _bytes[type] = _bytes.GetValueOrDefault(type) + amount;
        }
    }

    /// <summary>Sampled bytes by type so far.</summary>
    public Dictionary<string, long> Snapshot()
    {
        lock (_bytes)
        {
            return new Dictionary<string, long>(_bytes, StringComparer.Ordinal);
        }
    }

    /// <summary>The <paramref name="top"/> types by bytes sampled between two snapshots, as "share type (bytes per unit)".</summary>
    public static List<string> Top(Dictionary<string, long> before, Dictionary<string, long> after, int top, long units, string unit)
    {
        var delta = after.Select(kv => (Type: kv.Key, Bytes: kv.Value - before.GetValueOrDefault(kv.Key))).Where(d => d.Bytes > 0).ToList();
        var total = Math.Max(1, delta.Sum(d => d.Bytes));
        return [.. delta.OrderByDescending(d => d.Bytes).Take(top)
            .Select(d => string.Create(CultureInfo.InvariantCulture, $"{100.0 * d.Bytes / total:F1}% {d.Type} ({d.Bytes / 1024.0 / Math.Max(1, units):F2} KiB/{unit})"))];
    }
}
