using System.Collections.Immutable;
using Akka.Actor;
using Akka.Event;
using Akka.Streams;
using Switchboard.Configuration;
using Switchboard.Tls;

namespace Switchboard.Supervision;

/// <summary>
/// Owns the set of endpoints and the admission slots: one endpoint actor per endpoint, status kept from
/// their reports (so GetStatus answers at once during a storm), endpoint-set diffs on reload.
/// </summary>
internal sealed partial class ConnectionSupervisor : ReceiveActor
{
    private readonly Dictionary<string, Entry> _endpoints = new(StringComparer.Ordinal);
    private readonly Dictionary<IActorRef, string> _names = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly SwitchboardSettings _settings;
    private readonly IActorRef _ioPool;
    private readonly IActorRef? _cache;
    private readonly ClientTls _tls;
    private ImmutableArray<IActorRef> _subscribers = [];
    private ImmutableArray<IActorRef> _stateSubscribers = [];
    private readonly AdmissionGate _admission;
    private EndpointContext _context = null!;
    private long _generation;

    public ConnectionSupervisor(SwitchboardSettings settings, IActorRef ioPool, IActorRef? cache, ClientTls tls, AdmissionGate admission)
    {
        _settings = settings;
        _admission = admission;
        _ioPool = ioPool;
        _cache = cache;
        _tls = tls;

        Receive<Send>(OnSend);
        Receive<EndpointReport>(OnReport);
        Receive<GetStatus>(_ => Sender.Tell(BuildStatus()));
        Receive<AddEndpoint>(m => Sender.Tell(Add(m.Endpoint)));
        Receive<RemoveEndpoint>(m => Sender.Tell(Remove(m.Name, "removed") ? new EndpointRemoved(m.Name) : new EndpointRejected(m.Name, $"no endpoint named '{m.Name}'")));
        Receive<ReplaceEndpoints>(m => Sender.Tell(Replace(m.Endpoints)));
        Receive<Subscribe>(OnSubscribe);
        Receive<Unsubscribe>(m => Unsubscribe(m.Subscriber));
        Receive<Terminated>(m => Unsubscribe(m.ActorRef));
        Receive<EndpointGone>(OnGone);
        Receive<UseClientContext>(m => _tls.Replace(m.Context));
        Receive<RetireAll>(_ => RetireEveryEndpoint());
        Receive<SpawnBatch>(OnSpawnBatch);
        Inbound();
    }

    /// <param name="admission">
    /// Materialized by the caller, outside any actor: materializing a stream takes ~100 ms, which in
    /// PreStart would delay the first GetStatus of every start.
    /// Owned by the supervisor from here on (disposed when it stops).
    /// </param>
    public static Props Props(SwitchboardSettings settings, IActorRef ioPool, IActorRef? cache, ClientTls tls, AdmissionGate admission) =>
        Akka.Actor.Props.Create(() => new ConnectionSupervisor(settings, ioPool, cache, tls, admission));

    /// <summary>Retire every endpoint (shutdown); answered with <see cref="AllRetired"/> when all have stopped.</summary>
    internal sealed record RetireAll;

    internal sealed record AllRetired(int Endpoints);

    /// <summary>New TLS material (SIGHUP): new handshakes use it, live links keep theirs.</summary>
    internal sealed record UseClientContext(TlsContext Context);

    private sealed record Entry(EndpointSettings Settings, IActorRef Actor)
    {
        /// <summary>Where this endpoint's status sits in the status table.</summary>
        public int Slot { get; set; }
    }

    protected override SupervisorStrategy SupervisorStrategy() =>
        // A bug in one endpoint restarts that endpoint (which re-queues itself); a loop of them stops it
        // rather than burn CPU, and the status keeps its last error.
        new OneForOneStrategy(10, TimeSpan.FromMinutes(1), Decider.From(Directive.Restart));

    protected override void PreStart()
    {
        _context = new EndpointContext(_settings, Self, _ioPool, _cache, _admission, _tls, new Random());
        Self.Tell(new SpawnBatch(0));
        // Compile the status path now rather than inside the first GetStatus of a storm.
        _ = BuildStatus();
    }

    /// <summary>
    /// The configured endpoints start a batch at a time, so a GetStatus (or a Send) sent right after start
    /// waits behind one batch, not behind thousands of actor creations.
    /// </summary>
    private sealed record SpawnBatch(int From);

    private const int SpawnBatchSize = 50;

    private void OnSpawnBatch(SpawnBatch batch)
    {
        var endpoints = _settings.Endpoints;
        var end = Math.Min(endpoints.Length, batch.From + SpawnBatchSize);
        for (var i = batch.From; i < end; i++)
        {
            if (Add(endpoints[i]) is EndpointRejected rejected)
            {
                _log.Error("endpoint {0} rejected: {1}", rejected.Name, rejected.Reason);
            }
        }

        if (end < endpoints.Length)
        {
            Self.Tell(new SpawnBatch(end));
        }
    }

    protected override void PostStop() => _admission.Dispose();

    /// <summary>What the default does, minus PostStop: the gate came with the Props and serves the next incarnation.</summary>
    protected override void PreRestart(Exception reason, object message)
    {
        foreach (var child in Context.GetChildren())
        {
            Context.Unwatch(child);
            Context.Stop(child);
        }
    }

    private object Add(EndpointSettings endpoint)
    {
        var problem = EndpointValidation.Problem(endpoint);
        if (problem is not null)
        {
            return new EndpointRejected(endpoint.Name ?? string.Empty, problem);
        }

        if (_endpoints.ContainsKey(endpoint.Name))
        {
            return new EndpointRejected(endpoint.Name, $"duplicate endpoint name '{endpoint.Name}'");
        }

        // A retired endpoint of the same name may still be stopping; a generation keeps names unique.
        // Off the thread pool, which carries the socket completions of a storm (reference.conf, supervision).
        var props = EndpointActor.Props(endpoint, _context, _subscribers).WithDispatcher(SwitchboardRuntime.EndpointDispatcherId);
        var actor = Context.ActorOf(props, $"{Uri.EscapeDataString(endpoint.Name)}-{++_generation}");
        var entry = new Entry(endpoint, actor);
        _endpoints[endpoint.Name] = entry;
        _names[actor] = endpoint.Name;
        Track(entry);
        return new EndpointAdded(endpoint.Name);
    }

    private bool Remove(string name, string reason)
    {
        if (!_endpoints.Remove(name, out var entry))
        {
            return false;
        }

        _names.Remove(entry.Actor);
        Untrack(entry);
        entry.Actor.Tell(new EndpointActor.Retire(reason));
        return true;
    }

    private EndpointsReplaced Replace(IReadOnlyList<EndpointSettings> endpoints)
    {
        var wanted = new Dictionary<string, EndpointSettings>(StringComparer.Ordinal);
        var rejected = ImmutableArray.CreateBuilder<EndpointRejected>();
        foreach (var endpoint in endpoints)
        {
            var problem = EndpointValidation.Problem(endpoint);
            if (problem is not null)
            {
                rejected.Add(new EndpointRejected(endpoint.Name ?? string.Empty, problem));
            }
            else if (!wanted.TryAdd(endpoint.Name!, endpoint))
            {
                rejected.Add(new EndpointRejected(endpoint.Name!, $"duplicate endpoint name '{endpoint.Name}'"));
            }
        }

        int added = 0, removed = 0, unchanged = 0;
        foreach (var name in _endpoints.Keys.ToArray())
        {
            if (!wanted.TryGetValue(name, out var next) || next != _endpoints[name].Settings)
            {
                Remove(name, wanted.ContainsKey(name) ? "moved to a new address" : "removed");
                removed++;
            }
        }

        foreach (var endpoint in wanted.Values)
        {
            if (_endpoints.ContainsKey(endpoint.Name))
            {
                unchanged++; // its live link stays untouched
                continue;
            }

            Add(endpoint);
            added++;
        }

        return new EndpointsReplaced(added, removed, unchanged, rejected.ToImmutable());
    }

    private void OnSend(Send send)
    {
        if (_endpoints.TryGetValue(send.Endpoint, out var entry))
        {
            entry.Actor.Forward(send);
            return;
        }

        if (TrySendInbound(send))
        {
            return;
        }

        Sender.Tell(new SendFailed(send.Endpoint, send.Payload, $"unknown endpoint '{send.Endpoint}'"));
    }

    private void OnReport(EndpointReport report)
    {
        if (!_names.TryGetValue(report.Endpoint, out var name) || !_endpoints.TryGetValue(name, out var entry))
        {
            return; // a retired endpoint's last words
        }

        var previous = Update(entry, report.Status);
        if (previous != report.Status.State)
        {
            foreach (var subscriber in _stateSubscribers)
            {
                subscriber.Tell(new EndpointStateChanged(name, report.Status.State, report.Status.LastError));
            }
        }
    }

    private readonly HashSet<IActorRef> _retiring = [];
    private readonly List<IActorRef> _retireWaiters = [];
    private int _retiredCount;

    private void RetireEveryEndpoint()
    {
        _retireWaiters.Add(Sender);
        foreach (var entry in _endpoints.Values.ToArray())
        {
            _retiring.Add(entry.Actor);
            Remove(entry.Settings.Name, "shutting down");
            _retiredCount++;
        }

        AnswerRetired();
    }

    private void AnswerRetired()
    {
        if (_retiring.Count > 0)
        {
            return;
        }

        foreach (var waiter in _retireWaiters)
        {
            waiter.Tell(new AllRetired(_retiredCount));
        }

        _retireWaiters.Clear();
    }

    private void OnGone(EndpointGone gone)
    {
        if (_retiring.Remove(gone.Endpoint))
        {
            AnswerRetired();
        }

        if (_names.Remove(gone.Endpoint, out var name) && _endpoints.TryGetValue(name, out var entry) && entry.Actor.Equals(gone.Endpoint))
        {
            // Stopped by its supervisor strategy after a restart loop: keep it visible, not silently gone.
            _endpoints.Remove(name);
            Untrack(entry);
            _log.Error("endpoint {0} stopped after repeated internal failures; re-add it to retry", name);
        }
    }
}
