using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.DistributedData;
using Akka.Event;
using Switchboard.Configuration;
using Switchboard.Diagnostics;
using Switchboard.Resumption;
using Switchboard.Supervision;

namespace Switchboard.Cluster;

/// <summary>
/// One endpoint as a sharded entity: while it lives on a node, that node's supervisor runs the endpoint
/// (its link, backoff, admission and sessions are the single-node machinery, unchanged). Sharding keeps
/// exactly one entity per endpoint in the cluster, remembers it, and starts it again on a survivor when
/// its node dies; so each agent is linked once, and a dead node's endpoints move. With replicated
/// sessions, an entity that starts where nothing is stored for its endpoint first reads the endpoint's
/// register from every member (a majority if one does not answer) and imports the session, so the moved
/// endpoint resumes.
/// </summary>
internal sealed class EndpointEntity : ReceiveActor, IWithUnboundedStash
{
    private readonly string _name;
    private readonly EndpointDirectory _directory;
    private readonly SwitchboardRuntime _runtime;
    private readonly SessionReplication? _replication;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private EndpointSettings? _endpoint;
    private bool _retiring;
    private bool _readFromAll;

    public EndpointEntity(string name, EndpointDirectory directory, SwitchboardRuntime runtime, SessionReplication? replication)
    {
        _name = name;
        _directory = directory;
        _runtime = runtime;
        _replication = replication;
        Running();
    }

    public IStash Stash { get; set; } = null!;

    /// <summary>The endpoint left the configuration: the entity passivates, which also makes sharding forget it.</summary>
    internal sealed record Retire
    {
        public static readonly Retire Instance = new();
    }

    /// <summary>Sharding's hand-off (rebalance, or this node leaving) and the end of a passivation: stop, closing the link.</summary>
    internal sealed record HandOff
    {
        public static readonly HandOff Instance = new();
    }

    /// <summary>What an entity needs to read and retire replicated sessions: the node's cache, the ddata replicator and this node's replicator.</summary>
    internal sealed record SessionReplication(IActorRef Cache, IActorRef Registers, IActorRef Replicator, TimeSpan ReadTimeout);

    public static Props Props(string name, EndpointDirectory directory, SwitchboardRuntime runtime, SessionReplication? replication) =>
        Akka.Actor.Props.Create(() => new EndpointEntity(name, directory, runtime, replication));

    protected override void PreStart()
    {
        if (!_directory.TryGet(_name, out var endpoint))
        {
            // A remembered entity of an endpoint no longer configured (removed while its node was away).
            RetireSelf();
            return;
        }

        _endpoint = endpoint;
        if (_replication is null)
        {
            StartEndpoint();
            return;
        }

        _replication.Cache.Tell(new ResumptionCacheActor.HoldsSession(endpoint.Name));
        Become(AwaitingLocalSession);
    }

    protected override void PostStop()
    {
        if (_endpoint is null && !_retiring)
        {
            return;
        }

        if (_retiring)
        {
            _runtime.Supervisor.Tell(new RemoveEndpoint(_name));
            _replication?.Replicator.Tell(new SessionReplicator.Forget(_name));
            return;
        }

        // A hand-off keeps the endpoint's sessions here, where it may come back; with replication its newest
        // session goes out now, for the node that takes it over.
        _runtime.Supervisor.Tell(new ConnectionSupervisor.HandOffEndpoint(_name));
        _replication?.Replicator.Tell(new SessionReplicator.FlushEndpoint(_name));
    }

    private void Running()
    {
        Receive<EndpointAdded>(_ => { });
        Receive<EndpointRejected>(rejected => _log.Warning("endpoint {0} was not started on this node: {1}", rejected.Name, rejected.Reason));
        Receive<Retire>(_ => RetireSelf());
        Receive<HandOff>(_ => Context.Stop(Self));
    }

    private void AwaitingLocalSession()
    {
        Receive<ResumptionCacheActor.SessionHeld>(held =>
        {
            if (held.Held)
            {
                StartEndpoint();
                return;
            }

            // From every member, not a majority: a register written to a majority of the masters of its day
            // need not be on a majority of today's (one of them died, one joined), and gossip takes minutes to
            // bring thousands of registers to every member. A majority read missed 775 of 1,601 sessions after
            // a kill and a join (architecture §14); a read from all finds the register on any survivor.
            ReadRegister(new ReadAll(_replication!.ReadTimeout));
            Become(AwaitingReplica);
        });
        ReceiveAny(_ => Stash.Stash());
    }

    private void AwaitingReplica()
    {
        Receive<GetSuccess>(success =>
        {
            var session = success.Get(ReplicatedSession.RegisterKey(_name)).Value;
            var expected = EndpointActor.ResumptionKey(_endpoint!, _runtime.ClientTls.Current);
            var result = session.IsRemoved ? "miss" : session.Key == expected ? "hit" : "foreign";
            if (result == "hit")
            {
                _replication!.Cache.Tell(new ResumptionCacheActor.ImportReplica(session.ToReplica(_endpoint!.Name)));
            }

            Read(result);
        });
        Receive<NotFound>(_ => Read("miss"));
        Receive<GetFailure>(_ =>
        {
            if (_readFromAll)
            {
                // A member did not answer in time (unreachable, not yet downed): what a majority holds is the next best.
                ReadRegister(new ReadMajority(_replication!.ReadTimeout));
                return;
            }

            Read("failed");
        });
        ReceiveAny(_ => Stash.Stash());
    }

    private void ReadRegister(IReadConsistency consistency)
    {
        _readFromAll = consistency is ReadAll;
        _replication!.Registers.Tell(Dsl.Get(ReplicatedSession.RegisterKey(_name), consistency));
    }

    private void Read(string result)
    {
        SwitchboardMetrics.ReplicaReads.Add(1, new KeyValuePair<string, object?>("result", result));
        StartEndpoint();
    }

    private void StartEndpoint()
    {
        _runtime.Supervisor.Tell(new AddEndpoint(_endpoint!));
        Become(Running);
        Stash.UnstashAll();
    }

    private void RetireSelf()
    {
        _retiring = true;
        Context.Parent.Tell(new Passivate(HandOff.Instance));
    }
}
