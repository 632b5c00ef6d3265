using Akka.Actor;
using UniqueAddress = Akka.Cluster.UniqueAddress;
using Akka.DistributedData;
using Akka.Event;
using Switchboard.Configuration;
using Switchboard.Diagnostics;
using Switchboard.Resumption;

namespace Switchboard.Cluster;

/// <summary>
/// A node's side of the replicated session layer: the resumption cache tells it every session an endpoint
/// stores; it keeps only the newest per endpoint and writes them, one <c>LWWRegister</c> per endpoint, to a
/// majority of the masters once per flush interval. A TLS 1.3 link receives tickets on every (re)connect,
/// so gathering them first turns a reconnect storm into one write per endpoint per interval.
/// </summary>
internal sealed class SessionReplicator : ReceiveActor, IWithTimers
{
    private readonly Dictionary<string, ReplicatedSession> _pending = new(StringComparer.OrdinalIgnoreCase);
    private readonly IActorRef _ddata;
    private readonly UniqueAddress _self;
    private readonly WriteMajority _write;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly TimeSpan _flushInterval;
    private long _timeouts;

    public SessionReplicator(ClusterSettings settings)
    {
        _ddata = DistributedData.Get(Context.System).Replicator;
        _self = Akka.Cluster.Cluster.Get(Context.System).SelfUniqueAddress;
        _write = new WriteMajority(settings.Timeout);
        Receive<ResumptionCacheActor.SessionReplica>(replica => _pending[replica.Name] = ReplicatedSession.From(replica));
        Receive<Forget>(forget => _pending[forget.Name] = ReplicatedSession.Removed);
        Receive<Flush>(_ => FlushPending());
        Receive<FlushEndpoint>(flush =>
        {
            if (_pending.Remove(flush.Name, out var session))
            {
                Write(flush.Name, session);
            }
        });
        Receive<UpdateSuccess>(_ => SwitchboardMetrics.ReplicaWrites.Add(1, new KeyValuePair<string, object?>("result", "ok")));
        Receive<UpdateTimeout>(timeout =>
        {
            // The write reached this node and fewer than a majority so far; gossip still spreads it.
            SwitchboardMetrics.ReplicaWrites.Add(1, new KeyValuePair<string, object?>("result", "timeout"));
            if (_timeouts++ % 1000 == 0)
            {
                _log.Warning("session replication: a majority did not confirm {0} within {1} ({2} so far); gossip spreads it later", timeout.Key, settings.Timeout, _timeouts);
            }
        });
        Receive<IUpdateFailure>(failure =>
        {
            SwitchboardMetrics.ReplicaWrites.Add(1, new KeyValuePair<string, object?>("result", "failed"));
            _log.Warning("session replication: writing {0} failed: {1}", failure.Key, failure);
        });
        _flushInterval = settings.FlushInterval;
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>An endpoint left the configuration: its register is overwritten with nothing.</summary>
    internal sealed record Forget(string Name);

    /// <summary>The endpoint is handed off: its newest session is written now, for the node taking it over.</summary>
    internal sealed record FlushEndpoint(string Name);

    private sealed record Flush
    {
        public static readonly Flush Instance = new();
    }

    public static Props Props(ClusterSettings settings) => Akka.Actor.Props.Create(() => new SessionReplicator(settings));

    protected override void PreStart() => Timers.StartPeriodicTimer("flush", Flush.Instance, _flushInterval);

    private void FlushPending()
    {
        foreach (var (name, session) in _pending)
        {
            Write(name, session);
        }

        _pending.Clear();
    }

    private void Write(string name, ReplicatedSession session)
    {
        SwitchboardMetrics.ReplicaBytes.Add(session.Der.Length + session.Key.Length);
        _ddata.Tell(Dsl.Update(
            ReplicatedSession.RegisterKey(name),
            new LWWRegister<ReplicatedSession>(_self, session),
            _write,
            register => register.WithValue(_self, session)));
    }
}
