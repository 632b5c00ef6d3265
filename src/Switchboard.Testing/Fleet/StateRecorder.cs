using System.Collections.Concurrent;
using Akka.Actor;
using Switchboard.Supervision;

namespace Switchboard.Testing.Fleet;

/// <summary>Every lifecycle transition the supervisor publishes, per endpoint, in order (stress specs and the faults benchmark).</summary>
public sealed class StateRecorder
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<EndpointStateChanged>> _changes = new(StringComparer.Ordinal);

    public IActorRef Start(ActorSystem system) => system.ActorOf(Props.Create(() => new Recorder(_changes)));

    public IReadOnlyList<EndpointStateChanged> Of(string endpoint) =>
        _changes.TryGetValue(endpoint, out var queue) ? queue.ToArray() : [];

    private sealed class Recorder(ConcurrentDictionary<string, ConcurrentQueue<EndpointStateChanged>> changes) : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            if (message is EndpointStateChanged m)
            {
                changes.GetOrAdd(m.Endpoint, _ => new ConcurrentQueue<EndpointStateChanged>()).Enqueue(m);
            }

            // Received frames come with the subscription; this recorder keeps only state changes, but
            // acknowledges each frame so the receive window never holds the links back.
            if (message is Received received)
            {
                Sender.Tell(received.Ack);
            }
        }
    }
}
