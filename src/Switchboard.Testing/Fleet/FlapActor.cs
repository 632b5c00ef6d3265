using Akka.Actor;

namespace Switchboard.Testing.Fleet;

/// <summary>
/// Makes flapping agents drop their links every <c>period</c>, each drop jittered ±50 % per agent, so
/// flaps neither line up into a storm nor repeat with a fixed beat a test could fall into step with.
/// </summary>
public sealed class FlapActor : UntypedActor, IWithTimers
{
    private readonly IReadOnlyList<AgentHandler> _agents;
    private readonly TimeSpan _period;
    private readonly Random _random;

    public FlapActor(IReadOnlyList<AgentHandler> agents, TimeSpan period, int seed)
    {
        _agents = agents;
        _period = period;
        _random = new Random(seed);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IReadOnlyList<AgentHandler> agents, TimeSpan period, int seed = 7) =>
        Akka.Actor.Props.Create(() => new FlapActor(agents, period, seed));

    private sealed record Drop(int Index);

    protected override void OnReceive(object message)
    {
        if (message is not Drop drop)
        {
            Unhandled(message);
            return;
        }

        _agents[drop.Index].DropLinks();
        Schedule(drop.Index);
    }

    protected override void PreStart()
    {
        for (var i = 0; i < _agents.Count; i++)
        {
            Schedule(i);
        }
    }

    private void Schedule(int index) =>
        Timers.StartSingleTimer(index, new Drop(index), _period * (0.5 + _random.NextDouble()));
}
