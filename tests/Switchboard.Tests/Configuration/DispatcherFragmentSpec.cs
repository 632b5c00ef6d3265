using Akka.Actor;
using Akka.Configuration;
using Switchboard.Configuration;

namespace Switchboard.Tests.Configuration;

public sealed class DispatcherFragmentSpec
{
    [Fact]
    public void Fragment_sets_thread_count_to_the_resolved_actor_count()
    {
        var merged = SettingsLoader.DispatcherFragment(5).WithFallback(SettingsLoader.LoadReference());

        Assert.Equal(5, merged.GetInt($"{SettingsLoader.DispatcherId}.dedicated-thread-pool.thread-count"));
        Assert.Equal("ForkJoinDispatcher", merged.GetString($"{SettingsLoader.DispatcherId}.type"));
        Assert.Equal(100, merged.GetInt($"{SettingsLoader.DispatcherId}.throughput"));
    }

    [Fact]
    public void Zero_actors_resolve_to_the_processor_count()
    {
        Assert.Equal(Environment.ProcessorCount, SettingsLoader.ResolveIoActors(0));
        Assert.Equal(3, SettingsLoader.ResolveIoActors(3));
    }

    [Fact]
    public void Fragment_overrides_a_user_thread_count()
    {
        var user = ConfigurationFactory.ParseString("switchboard.io.dispatcher.dedicated-thread-pool.thread-count = 9");

        var merged = SettingsLoader.DispatcherFragment(new IoSettings(3, 16384, 1 << 20, 1 << 20)).WithFallback(user);

        Assert.Equal(3, merged.GetInt($"{SettingsLoader.DispatcherId}.dedicated-thread-pool.thread-count"));
    }

    [Fact]
    public void Fragment_rejects_a_count_below_one() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SettingsLoader.DispatcherFragment(0));

    [Fact]
    public async Task Akka_accepts_the_dispatcher_and_runs_an_actor_on_it()
    {
        var config = SettingsLoader.DispatcherFragment(2).WithFallback(SettingsLoader.LoadReference());
        var system = ActorSystem.Create("dispatcher-spec", config);
        try
        {
            Assert.True(system.Dispatchers.HasDispatcher(SettingsLoader.DispatcherId));
            var echo = system.ActorOf(Props.Create<EchoThread>().WithDispatcher(SettingsLoader.DispatcherId));

            var thread = await echo.Ask<string>("which thread?", TimeSpan.FromSeconds(10));

            Assert.False(string.IsNullOrEmpty(thread));
            Assert.Contains(SettingsLoader.DispatcherId, thread, StringComparison.Ordinal);
        }
        finally
        {
            await system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    private sealed class EchoThread : ReceiveActor
    {
        public EchoThread() => ReceiveAny(_ => Sender.Tell(Thread.CurrentThread.Name ?? string.Empty));
    }
}
