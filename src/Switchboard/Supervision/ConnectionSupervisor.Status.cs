using System.Collections.Immutable;
using Akka.Actor;

namespace Switchboard.Supervision;

/// <summary>
/// Status and subscriptions. Each endpoint publishes its status to its own cell; GetStatus reads them all,
/// which at 10,000 endpoints costs well under a millisecond and never waits behind a storm's messages.
/// </summary>
internal sealed partial class ConnectionSupervisor
{
    private StatusReport BuildStatus()
    {
        var counts = new int[Enum.GetValues<EndpointState>().Length];
        var statuses = ImmutableArray.CreateBuilder<EndpointStatus>(_table.Count);
        long full = 0, resumed = 0, failed = 0;
        foreach (var entry in _table)
        {
            var status = entry.Cell.Status;
            statuses.Add(status);
            counts[(int)status.State]++;
            full += status.FullHandshakes;
            resumed += status.ResumedHandshakes;
            failed += status.FailedHandshakes;
        }

        var byState = ImmutableDictionary.CreateBuilder<EndpointState, int>();
        for (var i = 0; i < counts.Length; i++)
        {
            if (counts[i] != 0)
            {
                byState[(EndpointState)i] = counts[i];
            }
        }

        return new StatusReport(byState.ToImmutable(), statuses.MoveToImmutable(), full, resumed, failed, _admission.Queued, _admission.Active, _inbound.Count,
            _resumption is { } r ? new ResumptionStatus(r.Sessions, r.Bytes, r.Budget, r.EndpointsWithoutSession) : null);
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
