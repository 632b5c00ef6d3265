using System.Collections.Immutable;
using Akka.Actor;
using Akka.Event;
using Switchboard.Configuration;
using Switchboard.IO;
using Switchboard.Resumption;
using Switchboard.Tls;

namespace Switchboard.Supervision;

/// <summary>
/// Owns the set of endpoints and the admission slots: one endpoint actor per endpoint, status read from
/// the cells the endpoints publish to (so GetStatus answers at once during a storm), endpoint-set diffs on
/// reload, and the inbound links agents open to our listener. Behaviours by concern are in the partial
/// files: the endpoint set here, status and subscriptions, inbound links.
/// </summary>
internal sealed partial class ConnectionSupervisor : UntypedActor
{
    /// <summary>Endpoints start this many at a time, so a GetStatus or Send right after start waits behind one batch, not thousands.</summary>
    private const int SpawnBatchSize = 50;

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly SwitchboardSettings _settings;
    private readonly IActorRef _ioPool;
    private readonly IActorRef? _cache;
    private readonly ClientTls _tls;
    private readonly AdmissionGate _admission;
    private readonly ResumptionGauges? _resumption;
    private readonly FrameCredit _frames;
    private readonly string _endpointDispatcher;
    private EndpointContext _context = null!;
    private IDisposable? _expiryGauge;
    private long _generation;

    // The endpoint set, by name and by actor, and the board their status cells publish to for GetStatus.
    // Names are unique regardless of case, as in the config: they are DNS names.
    private readonly Dictionary<string, Entry> _endpoints = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<IActorRef, string> _names = [];
    private readonly StatusBoard _board = new();

    // Subscribers, handed to every endpoint actor whenever they change.
    private EndpointActor.Subscribers _subscribers = EndpointActor.Subscribers.None;

    // Shutdown: endpoints retired by RetireAll that have not stopped yet, and who waits for them.
    private readonly HashSet<IActorRef> _retiring = [];
    private readonly List<IActorRef> _retireWaiters = [];
    private int _retiredCount;

    // Inbound links by id, and the newest link of each peer identity (a newer link of an agent wins).
    private readonly Dictionary<long, (string Identity, IActorRef Io)> _inbound = [];
    private readonly Dictionary<string, long> _inboundByIdentity = new(StringComparer.Ordinal);

    public ConnectionSupervisor(SwitchboardSettings settings, IActorRef ioPool, IActorRef? cache, ClientTls tls, AdmissionGate admission, FrameCredit frames, string endpointDispatcher, ResumptionGauges? resumption = null)
    {
        _frames = frames;
        _resumption = resumption;
        _settings = settings;
        _admission = admission;
        _ioPool = ioPool;
        _cache = cache;
        _tls = tls;
        _endpointDispatcher = endpointDispatcher;
    }

    /// <param name="admission">Owned by the supervisor from here on (disposed when it stops).</param>
    /// <param name="resumption">The cache's figures for the status; null without a cache.</param>
    /// <param name="frames">The receive window every endpoint and inbound link counts its frames against.</param>
    /// <param name="endpointDispatcher">Where the endpoint actors run (<see cref="Dispatchers.ForEndpoints"/>).</param>
    public static Props Props(SwitchboardSettings settings, IActorRef ioPool, IActorRef? cache, ClientTls tls, AdmissionGate admission, FrameCredit frames,
        string endpointDispatcher, ResumptionGauges? resumption = null) =>
        Akka.Actor.Props.Create(() => new ConnectionSupervisor(settings, ioPool, cache, tls, admission, frames, endpointDispatcher, resumption));

    /// <summary>Retire every endpoint (shutdown); answered with <see cref="AllRetired"/> when all have stopped.</summary>
    internal sealed record RetireAll;

    internal sealed record AllRetired(int Endpoints);

    /// <summary>New TLS material (a reload): new handshakes use it, live links keep theirs.</summary>
    internal sealed record UseClientContext(TlsContext Context);

    /// <summary>
    /// Stops running an endpoint because another node takes it over (cluster hand-off): its link closes with
    /// close_notify and its queued sends fail, as on removal, but its sessions stay, since the endpoint may
    /// come back here. Answered with <see cref="EndpointRemoved"/>, or <see cref="EndpointRejected"/> if unknown.
    /// </summary>
    internal sealed record HandOffEndpoint(string Name);

    /// <summary>An endpoint actor stopped (its last words, from PostStop).</summary>
    internal sealed record EndpointGone(string Name, IActorRef Endpoint);

    private sealed record SpawnBatch(int From);

    private sealed record Entry(EndpointSettings Settings, IActorRef Actor, StatusCell Cell);

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case Send m: OnSend(m); break;
            case GetStatus: Sender.Tell(BuildStatus()); break;
            case AddEndpoint m: Sender.Tell(Add(m.Endpoint)); break;
            case RemoveEndpoint m:
                Sender.Tell(Remove(m.Name, "removed", forgetSessions: true) ? new EndpointRemoved(m.Name) : new EndpointRejected(m.Name, $"no endpoint named '{m.Name}'"));
                break;
            case ReplaceEndpoints m: Sender.Tell(Replace(m.Endpoints)); break;
            case HandOffEndpoint m:
                Sender.Tell(Remove(m.Name, "handed off to another node", forgetSessions: false) ? new EndpointRemoved(m.Name) : new EndpointRejected(m.Name, $"no endpoint named '{m.Name}'"));
                break;
            case Subscribe m: OnSubscribe(m); break;
            case Unsubscribe m: Unsubscribe(m.Subscriber); break;
            case Terminated m: Unsubscribe(m.ActorRef); break;
            case EndpointGone m: OnGone(m); break;
            case UseClientContext m: _tls.Replace(m.Context); break;
            case RetireAll: RetireEveryEndpoint(); break;
            case SpawnBatch m: OnSpawnBatch(m); break;
            default:
                if (!Inbound(message))
                {
                    Unhandled(message);
                }

                break;
        }
    }

    protected override SupervisorStrategy SupervisorStrategy() =>
        // A bug in one endpoint restarts that endpoint (which re-queues itself); a loop of them stops it
        // rather than burn CPU, and the status keeps its last error.
        new OneForOneStrategy(10, TimeSpan.FromMinutes(1), Decider.From(Directive.Restart));

    protected override void PreStart()
    {
        var tls = _tls;
        var expiries = new CertificateExpiries(() => tls.Current.CertificateNotAfterUtc, () => tls.Current.CrlNextUpdateUtc);
        _expiryGauge = Diagnostics.SwitchboardMetrics.ObserveExpiries(expiries);
        _context = new EndpointContext(_settings, Self, _ioPool, _cache, _admission, _tls, _frames, expiries);
        Self.Tell(new SpawnBatch(0));
    }

    protected override void PostStop()
    {
        _admission.Dispose();
        _expiryGauge?.Dispose();
    }

    /// <summary>What the default does, minus PostStop: the gate came with the Props and serves the next incarnation.</summary>
    protected override void PreRestart(Exception reason, object message)
    {
        foreach (var child in Context.GetChildren())
        {
            Context.Unwatch(child);
            Context.Stop(child);
        }
    }

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

    private object Add(EndpointSettings endpoint)
    {
        var problem = EndpointRules.Problem(endpoint);
        if (problem is not null)
        {
            return new EndpointRejected(endpoint.Name ?? string.Empty, problem);
        }

        if (_endpoints.ContainsKey(endpoint.Name))
        {
            return new EndpointRejected(endpoint.Name, $"duplicate endpoint name '{endpoint.Name}'");
        }

        // A retired endpoint of the same name may still be stopping; a generation keeps names unique.
        // Off the thread pool, which carries the socket completions of a storm (reference.conf, io and supervision).
        var cell = _board.Join(EndpointActor.Initial(endpoint));
        var props = EndpointActor.Props(endpoint, _context, cell, _subscribers).WithDispatcher(_endpointDispatcher).WithMailbox(EndpointMailbox.Id);
        var actor = Context.ActorOf(props, $"{Uri.EscapeDataString(endpoint.Name)}-{++_generation}");
        var entry = new Entry(endpoint, actor, cell);
        _endpoints[endpoint.Name] = entry;
        _names[actor] = endpoint.Name;
        return new EndpointAdded(endpoint.Name);
    }

    private bool Remove(string name, string reason, bool forgetSessions)
    {
        if (!_endpoints.Remove(name, out var entry))
        {
            return false;
        }

        _names.Remove(entry.Actor);
        _board.Leave(entry.Cell);
        entry.Actor.Tell(new EndpointActor.Retire(reason, forgetSessions));
        return true;
    }

    private EndpointsReplaced Replace(IReadOnlyList<EndpointSettings> endpoints)
    {
        var wanted = new Dictionary<string, EndpointSettings>(StringComparer.OrdinalIgnoreCase);
        var rejected = ImmutableArray.CreateBuilder<EndpointRejected>();
        foreach (var endpoint in endpoints)
        {
            var problem = EndpointRules.Problem(endpoint);
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
                Remove(name, wanted.ContainsKey(name) ? "moved to a new address" : "removed", forgetSessions: true);
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

    private void RetireEveryEndpoint()
    {
        _retireWaiters.Add(Sender);
        foreach (var entry in _endpoints.Values.ToArray())
        {
            _retiring.Add(entry.Actor);
            Remove(entry.Settings.Name, "shutting down", forgetSessions: false);
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
            _board.Leave(entry.Cell);
            _log.Error("endpoint {0} stopped after repeated internal failures; re-add it to retry", name);
        }
    }
}
