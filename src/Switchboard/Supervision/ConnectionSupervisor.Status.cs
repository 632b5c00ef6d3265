using System.Collections.Immutable;
using Akka.Actor;

namespace Switchboard.Supervision;

/// <summary>
/// Status and subscriptions. The status table is kept as endpoints report, with counts and totals moved
/// incrementally, so a GetStatus during a storm costs one array copy, not a pass over every endpoint.
/// </summary>
internal sealed partial class ConnectionSupervisor
{
    private readonly List<EndpointStatus> _table = [];
    private readonly List<Entry> _tableOwners = [];
    private readonly int[] _counts = new int[Enum.GetValues<EndpointState>().Length];
    private long _full;
    private long _resumed;
    private long _failed;

    private void Track(Entry entry)
    {
        var status = new EndpointStatus(entry.Settings.Name, entry.Settings.Host, entry.Settings.Port,
            EndpointState.Queued, 0, null, null, 0, 0, 0, null, null);
        entry.Slot = _table.Count;
        _table.Add(status);
        _tableOwners.Add(entry);
        Count(status, +1);
    }

    private void Untrack(Entry entry)
    {
        var slot = entry.Slot;
        Count(_table[slot], -1);
        // Swap-remove: the last entry moves into the hole.
        var last = _table.Count - 1;
        _table[slot] = _table[last];
        _tableOwners[slot] = _tableOwners[last];
        _tableOwners[slot].Slot = slot;
        _table.RemoveAt(last);
        _tableOwners.RemoveAt(last);
    }

    /// <returns>The state before this report.</returns>
    private EndpointState Update(Entry entry, EndpointStatus status)
    {
        var previous = _table[entry.Slot];
        Count(previous, -1);
        Count(status, +1);
        _table[entry.Slot] = status;
        return previous.State;
    }

    private void Count(EndpointStatus status, int sign)
    {
        _counts[(int)status.State] += sign;
        _full += sign * status.FullHandshakes;
        _resumed += sign * status.ResumedHandshakes;
        _failed += sign * status.FailedHandshakes;
    }

    private StatusReport BuildStatus()
    {
        var counts = ImmutableDictionary.CreateBuilder<EndpointState, int>();
        for (var i = 0; i < _counts.Length; i++)
        {
            if (_counts[i] != 0)
            {
                counts[(EndpointState)i] = _counts[i];
            }
        }

        return new StatusReport(counts.ToImmutable(), [.. _table], _full, _resumed, _failed, _admission.Queued, _admission.Active, InboundLinks);
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
