using System.Collections.Immutable;
using Akka.Actor;
using Switchboard.Configuration;

namespace Switchboard.Supervision;

/// <summary>
/// Status and subscriptions. Each endpoint publishes its status to the board (its slot and the totals);
/// GetStatus copies the board, so it never waits behind a storm's messages.
/// </summary>
internal sealed partial class ConnectionSupervisor
{
    private StatusReport BuildStatus() =>
        Summarize(_board, _admission.Queued, _admission.Active, _inbound.Count,
            _resumption is { } r ? new ResumptionStatus(r.Sessions, r.Bytes, r.Budget, r.EndpointsWithoutSession) : null);

    /// <summary>
    /// Runs, once, on the thread that starts the runtime and before the supervisor exists, what the supervisor's
    /// first messages would otherwise pay for: it starts the endpoint actors' dispatcher, and compiles an
    /// endpoint's checks and the status over one endpoint. The CLI runs with tiered compilation off, so a method
    /// compiles fully optimized on its first call, 5-15 ms for each of these at a process start. Inside the
    /// supervisor that time sat in front of the first status query: it waited for the first batch of endpoints,
    /// whose first endpoint compiled the checks, and then for the status's own compilation.
    /// </summary>
    internal static void CompileStartPath(ActorSystem system, string endpointDispatcher, IReadOnlyList<EndpointSettings> endpoints)
    {
        _ = system.Dispatchers.Lookup(endpointDispatcher);
        if (endpoints.Count == 0)
        {
            return;
        }

        var sample = endpoints[0];
        _ = EndpointRules.Problem(sample);
        var board = new StatusBoard();
        board.Join(EndpointActor.Initial(sample));
        _ = Summarize(board, 0, 0, 0, new ResumptionStatus(0, 0, 0, 0));
    }

    private static StatusReport Summarize(StatusBoard board, int queued, int active, int inbound, ResumptionStatus? resumption)
    {
        var totals = board.Totals;
        return new StatusReport(totals.ByState(), board.Records(), totals.FullHandshakes, totals.ResumedHandshakes,
            totals.FailedHandshakes, queued, active, inbound, resumption);
    }

    private void OnSubscribe(Subscribe subscribe)
    {
        Context.Watch(subscribe.Subscriber);
        _frames.Subscribe(subscribe.Subscriber);
        var frames = _subscribers.Frames.Contains(subscribe.Subscriber) ? _subscribers.Frames : _subscribers.Frames.Add(subscribe.Subscriber);
        var states = !subscribe.StateChanges || _subscribers.StateChanges.Contains(subscribe.Subscriber)
            ? _subscribers.StateChanges
            : _subscribers.StateChanges.Add(subscribe.Subscriber);
        Publish(new EndpointActor.Subscribers(frames, states));
    }

    private void Unsubscribe(IActorRef subscriber)
    {
        _frames.Unsubscribe(subscriber);
        Publish(new EndpointActor.Subscribers(_subscribers.Frames.Remove(subscriber), _subscribers.StateChanges.Remove(subscriber)));
    }

    private void Publish(EndpointActor.Subscribers subscribers)
    {
        if (subscribers.Frames == _subscribers.Frames && subscribers.StateChanges == _subscribers.StateChanges)
        {
            return;
        }

        _subscribers = subscribers;
        foreach (var entry in _endpoints.Values)
        {
            entry.Actor.Tell(new EndpointActor.SubscribersChanged(subscribers));
        }
    }
}
