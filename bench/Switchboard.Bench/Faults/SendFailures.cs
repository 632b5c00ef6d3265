using System.Collections.Concurrent;
using Akka.Actor;
using Switchboard.Supervision;
using Switchboard.Testing.Fleet;

namespace Switchboard.Bench.Faults;

/// <summary>
/// The sender of every benchmark <see cref="Send"/>: counts the <see cref="SendFailed"/> answers by kind of
/// reason (the reasons themselves name endpoints), keeping one example of each, and which numbered
/// messages failed, so each message is judged once: delivered, failed, or lost.
/// </summary>
internal sealed class SendFailures
{
    private readonly ConcurrentDictionary<string, long> _byReason = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _examples = new(StringComparer.Ordinal);
    private long _total;

    /// <summary>The numbers of the messages answered with SendFailed (a message failed twice counts as a duplicate).</summary>
    public DeliveryLedger Numbers { get; } = new();

    public long Total => Interlocked.Read(ref _total);

    public IReadOnlyDictionary<string, long> ByReason() => new SortedDictionary<string, long>(_byReason, StringComparer.Ordinal);

    public IEnumerable<string> Examples() => _examples.Select(e => $"SendFailed {e.Key}: {e.Value}");

    public IActorRef Start(ActorSystem system) => system.ActorOf(Props.Create(() => new Counter(this)), "send-failures");

    private void Count(SendFailed failed)
    {
        var kind = Kind(failed.Reason);
        _byReason.AddOrUpdate(kind, 1, (_, n) => n + 1);
        _examples.TryAdd(kind, failed.Reason);
        Numbers.Record(failed.Payload.Span);
        Interlocked.Increment(ref _total);
    }

    private static string Kind(string reason) =>
        reason.Contains("queue", StringComparison.Ordinal) ? "queue_full"
        : reason.StartsWith("unknown endpoint", StringComparison.Ordinal) ? "unknown_endpoint"
        : reason.StartsWith("endpoint ", StringComparison.Ordinal) ? "endpoint_removed"
        : "other";

    private sealed class Counter(SendFailures failures) : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            if (message is SendFailed failed)
            {
                failures.Count(failed);
            }
            else
            {
                Unhandled(message);
            }
        }
    }
}
