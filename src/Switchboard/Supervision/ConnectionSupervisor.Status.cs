using System.Collections.Immutable;
using Akka.Actor;

namespace Switchboard.Supervision;

/// <summary>Status and subscriptions.</summary>
internal sealed partial class ConnectionSupervisor
{
    private StatusReport BuildStatus()
    {
        var counts = new Dictionary<EndpointState, int>();
        var endpoints = ImmutableArray.CreateBuilder<EndpointStatus>(_endpoints.Count);
        long full = 0, resumed = 0, failed = 0;
        foreach (var entry in _endpoints.Values)
        {
            var status = entry.Status ?? new EndpointStatus(entry.Settings.Name, entry.Settings.Host, entry.Settings.Port,
                EndpointState.Queued, 0, null, null, 0, 0, 0, null, null);
            counts[status.State] = counts.GetValueOrDefault(status.State) + 1;
            full += status.FullHandshakes;
            resumed += status.ResumedHandshakes;
            failed += status.FailedHandshakes;
            endpoints.Add(status);
        }

        return new StatusReport(counts.ToImmutableDictionary(), endpoints.ToImmutable(), full, resumed, failed, _admission.Queued, _admission.Active, InboundLinks);
    }

    private void OnSubscribe(Subscribe subscribe)
    {
        Context.Watch(subscribe.Subscriber);
        if (!_subscribers.Contains(subscribe.Subscriber))
        {
            _subscribers = _subscribers.Add(subscribe.Subscriber);
            Broadcast();
        }

        if (subscribe.StateChanges && !_stateSubscribers.Contains(subscribe.Subscriber))
        {
            _stateSubscribers = _stateSubscribers.Add(subscribe.Subscriber);
        }
    }

    private void Unsubscribe(IActorRef subscriber)
    {
        _stateSubscribers = _stateSubscribers.Remove(subscriber);
        if (_subscribers.Contains(subscriber))
        {
            _subscribers = _subscribers.Remove(subscriber);
            Broadcast();
        }
    }

    private void Broadcast()
    {
        foreach (var entry in _endpoints.Values)
        {
            entry.Actor.Tell(new EndpointActor.SubscribersChanged(_subscribers));
        }
    }
}
