using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Event;

namespace Switchboard.Tests.Stress;

/// <summary>
/// Collects every ERROR-level event of the actor systems it is attached to: an actor that throws (and
/// restarts) logs one, so "no errors" also means "no restart loop".
/// </summary>
internal sealed class ErrorLog
{
    private readonly ConcurrentQueue<string> _errors = new();

    public IReadOnlyCollection<string> Errors => _errors;

    public void Attach(ActorSystem system)
    {
        var collector = system.ActorOf(Props.Create(() => new Collector(_errors)));
        system.EventStream.Subscribe(collector, typeof(Error));
    }

    public void AssertNone()
    {
        Assert.True(_errors.IsEmpty, $"{_errors.Count} ERROR log events, first: {_errors.FirstOrDefault()}");
    }

    private sealed class Collector : ReceiveActor
    {
        public Collector(ConcurrentQueue<string> errors)
        {
            Receive<Error>(e => errors.Enqueue($"{e.LogSource}: {e.Message} {e.Cause}"));
        }
    }
}
