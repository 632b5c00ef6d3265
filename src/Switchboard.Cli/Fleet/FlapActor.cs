using Akka.Actor;
using Switchboard.IO;

namespace Switchboard.Cli.Fleet;

/// <summary>
/// Makes flapping agents drop their links every <c>period</c>, each drop jittered ±50 % per agent, so
/// flaps neither line up into a storm nor repeat with a fixed beat a test could fall into step with.
/// </summary>
internal sealed class FlapActor : ReceiveActor, IWithTimers
{
    private readonly IReadOnlyList<IActorRef> _listeners;
    private readonly TimeSpan _period;
    private readonly Random _random;

    public FlapActor(IReadOnlyList<IActorRef> listeners, TimeSpan period, int seed)
    {
        _listeners = listeners;
        _period = period;
        _random = new Random(seed);
        Receive<Drop>(m =>
        {
            _listeners[m.Index].Tell(new ListenerActor.DropLinks());
            Schedule(m.Index);
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IReadOnlyList<IActorRef> listeners, TimeSpan period, int seed = 7) =>
        Akka.Actor.Props.Create(() => new FlapActor(listeners, period, seed));

    private sealed record Drop(int Index);

    protected override void PreStart()
    {
        for (var i = 0; i < _listeners.Count; i++)
        {
            Schedule(i);
        }
    }

    private void Schedule(int index) =>
        Timers.StartSingleTimer(index, new Drop(index), _period * (0.5 + _random.NextDouble()));
}
