using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Switchboard.Supervision;

namespace Switchboard.Cluster;

/// <summary>
/// One endpoint as a sharded entity: while it lives on a node, that node's supervisor runs the endpoint
/// (its link, backoff, admission and sessions are the single-node machinery, unchanged). Sharding keeps
/// exactly one entity per endpoint in the cluster, remembers it, and starts it again on a survivor when
/// its node dies; so each agent is linked once, and a dead node's endpoints move.
/// </summary>
internal sealed class EndpointEntity : ReceiveActor
{
    private readonly string _name;
    private readonly EndpointDirectory _directory;
    private readonly IActorRef _supervisor;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private bool _retiring;

    public EndpointEntity(string name, EndpointDirectory directory, IActorRef supervisor)
    {
        _name = name;
        _directory = directory;
        _supervisor = supervisor;
        Receive<EndpointAdded>(_ => { });
        Receive<EndpointRejected>(rejected => _log.Warning("endpoint {0} was not started on this node: {1}", rejected.Name, rejected.Reason));
        Receive<Retire>(_ => RetireSelf());
        Receive<HandOff>(_ => Context.Stop(Self));
    }

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

    public static Props Props(string name, EndpointDirectory directory, IActorRef supervisor) =>
        Akka.Actor.Props.Create(() => new EndpointEntity(name, directory, supervisor));

    protected override void PreStart()
    {
        if (_directory.TryGet(_name, out var endpoint))
        {
            _supervisor.Tell(new AddEndpoint(endpoint));
            return;
        }

        // A remembered entity of an endpoint no longer configured (removed while its node was away).
        RetireSelf();
    }

    protected override void PostStop() =>
        // A hand-off keeps the endpoint's sessions here, where it may come back; a retirement forgets them.
        _supervisor.Tell(_retiring ? new RemoveEndpoint(_name) : new ConnectionSupervisor.HandOffEndpoint(_name));

    private void RetireSelf()
    {
        _retiring = true;
        Context.Parent.Tell(new Passivate(HandOff.Instance));
    }
}
