using Akka.Actor;
using Akka.Cluster.Sharding;

namespace Switchboard.Cluster;

/// <summary>
/// A cluster singleton that keeps the live entities equal to the configured endpoint set: it starts every
/// configured endpoint's entity (remembered entities survive a node's death, but a new endpoint has none
/// yet) and retires removed ones, at start and on every interval. Starting an entity that runs already
/// costs one message and changes nothing, so reconciling is idempotent.
/// </summary>
internal sealed class EndpointReconciler : ReceiveActor, IWithTimers
{
    private readonly IActorRef _region;
    private readonly EndpointDirectory _directory;
    private readonly TimeSpan _interval;

    public EndpointReconciler(IActorRef region, EndpointDirectory directory, TimeSpan interval)
    {
        _region = region;
        _directory = directory;
        _interval = interval;
        Receive<Reconcile>(_ => ReconcileNow());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    internal sealed record Reconcile
    {
        public static readonly Reconcile Instance = new();
    }

    public static Props Props(IActorRef region, EndpointDirectory directory, TimeSpan interval) =>
        Akka.Actor.Props.Create(() => new EndpointReconciler(region, directory, interval));

    protected override void PreStart()
    {
        Self.Tell(Reconcile.Instance);
        Timers.StartPeriodicTimer(nameof(Reconcile), Reconcile.Instance, _interval);
    }

    private void ReconcileNow()
    {
        foreach (var id in _directory.EntityIds)
        {
            _region.Tell(new ShardRegion.StartEntity(id));
        }

        foreach (var id in _directory.TakeRemoved())
        {
            _region.Tell(new ShardingEnvelope(id, EndpointEntity.Retire.Instance));
        }
    }
}
