using System.Buffers.Binary;
using System.Diagnostics;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Switchboard.Configuration;
using Switchboard.Supervision;
using Switchboard.Testing.Pki;
using Switchboard.Tests.Stress;
using Switchboard.Tls;
using Xunit.Abstractions;

namespace Switchboard.Tests.Security;

/// <summary>
/// An authenticated agent that sends faster than the application reads: its frames must wait in TCP, not
/// in the master's memory. The subscriber stops reading while the agent sends 100 MiB; the agent stalls
/// once the receive window is full, the master holds at most the window plus one read, and when the
/// subscriber reads again every frame arrives, once and in order.
/// </summary>
[Collection(StressCollection.Name)]
[Trait("Category", "Stress")]
public sealed class SlowSubscriberSpec : TestKit
{
    private const int FrameSize = 64 * 1024;
    private const int Frames = 1600; // 100 MiB
    private const long Window = 4 * 1024 * 1024;
    private const long OneRead = 64 * 1024;

    private readonly ITestOutputHelper _output;

    public SlowSubscriberSpec(ITestOutputHelper output) : base(StressConfig.Master("""
        switchboard.listener.host = "127.0.0.1"
        switchboard.io.receive-window = 4 MiB
        switchboard.connection.idle-timeout = 60s
        """), output: output)
    {
        _output = output;
    }

    [Fact]
    public async Task A_subscriber_that_stops_reading_holds_the_sender_in_TCP_and_loses_nothing_when_it_reads_again()
    {
        var settings = SettingsLoader.Load(Sys.Settings.Config);
        var runtime = SwitchboardRuntime.Start(Sys, settings);
        var subscriber = CreateTestProbe();
        runtime.Supervisor.Tell(new Subscribe(subscriber.Ref));
        const string agent = "agent-00003";
        var context = TlsContext.CreateClient(new TlsContextOptions(StressPki.Layout.CaCertificate,
            StressPki.Layout.AgentCertificate(agent), StressPki.Layout.AgentKey(agent)));
        using var peer = await TlsClientPeer.ConnectAsync(runtime.Listener!.Address, context, PkiLayout.MasterName, TimeSpan.FromSeconds(10));
        Assert.NotNull(peer.Handshake);

        var before = GC.GetTotalMemory(forceFullCollection: true);
        long sent = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var sending = Task.Run(async () =>
        {
            var payload = new byte[FrameSize];
            for (var i = 0; i < Frames; i++)
            {
                BinaryPrimitives.WriteInt32BigEndian(payload, i);
                payload[^1] = (byte)i;
                await peer.SendAsync(TlsClientPeer.Frame(payload)).WaitAsync(stop.Token);
                Interlocked.Add(ref sent, FrameSize);
            }
        });

        // The window fills. (On a loaded machine the sender can also pause for a second before it is full, while
        // the IO thread waits for a core: that pause is not the backpressure under test.)
        await AwaitConditionAsync(() => Task.FromResult(runtime.Frames.Unacknowledged >= Window || sending.IsCompleted), TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(20));

        // Then the sender stalls: nothing more leaves it for a second, well before it is done.
        var stalledAt = await StalledAsync(() => Interlocked.Read(ref sent), sending);
        var unacknowledged = runtime.Frames.Unacknowledged;
        var held = GC.GetTotalMemory(forceFullCollection: true) - before;
        _output.WriteLine($"sender stalled at {stalledAt / (1024 * 1024)} MiB of {Frames * (long)FrameSize / (1024 * 1024)}; unacknowledged {unacknowledged / 1024} KiB (window {Window / 1024} KiB); managed heap grew {held / 1024} KiB");
        Assert.False(sending.IsCompleted, "the whole 100 MiB went through while nobody read it");
        Assert.InRange(unacknowledged, Window, Window + OneRead + FrameSize);
        // The window, one read, and the frame being decoded; the rest waits in the kernel's socket buffers.
        Assert.True(held < Window + 8 * 1024 * 1024, $"the master held {held / 1024} KiB while its subscriber did not read");

        // The subscriber reads again: every frame, once, in order; the sender finishes.
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Frames; i++)
        {
            var received = subscriber.ExpectMsg<Received>(TimeSpan.FromSeconds(10));
            Assert.Equal(agent, received.Endpoint);
            Assert.Equal(FrameSize, received.Payload.Length);
            Assert.Equal(i, BinaryPrimitives.ReadInt32BigEndian(received.Payload));
            subscriber.LastSender.Tell(received.Ack, subscriber.Ref); // acknowledged as the subscriber
        }

        await sending.WaitAsync(TimeSpan.FromSeconds(30));
        subscriber.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        _output.WriteLine($"the rest delivered in {clock.Elapsed.TotalSeconds:0.0} s");
        await AwaitConditionAsync(() => Task.FromResult(runtime.Frames.Unacknowledged == 0), TimeSpan.FromSeconds(5));
    }

    /// <summary>Waits (bounded) until <paramref name="progress"/> has not moved for a second; returns where it stopped.</summary>
    private static async Task<long> StalledAsync(Func<long> progress, Task sending)
    {
        var deadline = Stopwatch.StartNew();
        var last = -1L;
        var still = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60) && !sending.IsCompleted)
        {
            var now = progress();
            if (now != last)
            {
                (last, still) = (now, Stopwatch.StartNew());
            }
            else if (still.Elapsed > TimeSpan.FromSeconds(1))
            {
                return now;
            }

            await Task.Delay(50);
        }

        return progress();
    }
}
