using System.Buffers.Binary;
using System.Collections.Concurrent;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Switchboard.Configuration;
using Switchboard.Supervision;
using Switchboard.Testing.Fleet;
using Xunit.Abstractions;

namespace Switchboard.Tests.Stress;

/// <summary>
/// "Nothing lost": numbered messages sent while every agent flaps. Each one must reach its agent's
/// application exactly once (counted at the agents, where delivery happens), or come back as
/// <see cref="SendFailed"/> — never both, never neither — and per agent they must arrive in the order sent.
/// Frames the kernel accepted just before an agent closed die in the agent's kernel; link-level
/// acknowledgements (ALPN "switchboard/2") make the master resend them on the next link, and the agent
/// drop the copies it already delivered.
/// </summary>
[Collection(StressCollection.Name)]
[Trait("Category", "Stress")]
public sealed class NothingLostSpec : TestKit, IAsyncLifetime
{
    private const int Agents = 20;
    private const int Messages = 5000;
    private const int Batch = 50;
    private static readonly TimeSpan BatchEvery = TimeSpan.FromMilliseconds(50);

    private readonly ITestOutputHelper _output;
    private readonly ConcurrentQueue<(int Agent, byte[] Payload)> _delivered = new();
    private AgentFleet _fleet = null!;

    public NothingLostSpec(ITestOutputHelper output) : base(StressConfig.Master(), output: output)
    {
        _output = output;
    }

    public async Task InitializeAsync() =>
        _fleet = await AgentFleet.StartAsync(StressPki.Layout, Agents, port: 0, extraConfig: StressConfig.Fleet,
            faults: new FaultSpec(FaultMode.Flap, Share: 1.0, FlapEvery: TimeSpan.FromSeconds(1)),
            observe: agent => payload => _delivered.Enqueue((agent, payload.ToArray())));

    public async Task DisposeAsync() => await _fleet.DisposeAsync();

    [Fact]
    public async Task Every_message_sent_while_links_flap_is_delivered_once_in_order_or_answered_with_send_failed()
    {
        using var meter = new SendMeter();
        var endpoints = _fleet.Endpoints();
        var runtime = SwitchboardRuntime.Start(Sys, SettingsLoader.Load(Sys.Settings.Config) with { Endpoints = [.. endpoints] });
        var failures = new ConcurrentQueue<(string Endpoint, byte[] Payload)>();
        var collector = Sys.ActorOf(Props.Create(() => new Collector(failures)));
        await this.Until(runtime.Supervisor, s => s.Connected == Agents, TimeSpan.FromSeconds(10), "all endpoints connect");

        // Spread over ~5 s, so sends meet links that are up, dropping, in backoff and resuming.
        for (var n = 0; n < Messages; n++)
        {
            runtime.Supervisor.Tell(new Send(endpoints[n % Agents].Name, Payload(n)), collector);
            if (n % Batch == Batch - 1)
            {
                // Pacing, part of the scenario: the sends must meet links in every state while agents flap.
                await Task.Delay(BatchEvery);
            }
        }

        // Unacknowledged messages go out again once their endpoint is back (backoff ≤ 2 s): every message
        // ends delivered or answered with SendFailed.
        await AwaitAssertAsync(() => Assert.True(_delivered.Count + failures.Count >= Messages,
            $"{_delivered.Count} delivered and {failures.Count} failed of {Messages}"), TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(100));

        var status = await StatusPolling.Status(runtime.Supervisor);
        var delivered = _delivered.ToArray().Select(d => (d.Agent, Number: Number(d.Payload))).ToArray();
        var failed = failures.ToArray().Select(f => (f.Endpoint, Number: Number(f.Payload))).ToArray();
        var deliveredOnce = delivered.Select(d => d.Number).ToHashSet();
        var failedOnce = failed.Select(f => f.Number).ToHashSet();
        var lost = Enumerable.Range(0, Messages).Where(n => !deliveredOnce.Contains(n) && !failedOnce.Contains(n)).ToArray();
        _output.WriteLine($"{deliveredOnce.Count} delivered ({delivered.Length - deliveredOnce.Count} duplicates), {failed.Length} failed, {lost.Length} unaccounted for; " +
            $"{status.FullHandshakes + status.ResumedHandshakes} handshakes ({status.ResumedHandshakes} resumed) for {Agents} endpoints; " +
            $"switchboard.messages.sent {meter.Sent}, resent {meter.Resent}, duplicates dropped {meter.Duplicates}; " +
            $"links dropped by cause: {string.Join(", ", meter.Dropped.OrderBy(d => d.Key).Select(d => $"{d.Key} {d.Value}"))}");
        if (lost.Length > 0)
        {
            _output.WriteLine($"unaccounted for (first 20): {string.Join(", ", lost.Take(20))}");
        }

        Assert.True(status.FullHandshakes + status.ResumedHandshakes > 2 * Agents, "the links did not flap while messages were sent");
        Assert.True(meter.Resent > 0, "no unacknowledged message was ever resent: the flaps did not exercise acknowledgements");
        Assert.Equal(deliveredOnce.Count, delivered.Length); // no message delivered twice
        Assert.Equal(failedOnce.Count, failed.Length); // none failed twice
        Assert.Empty(deliveredOnce.Intersect(failedOnce)); // none both delivered and failed
        Assert.All(delivered, d => Assert.Equal(d.Number % Agents, d.Agent));
        foreach (var agent in delivered.GroupBy(d => d.Agent))
        {
            var numbers = agent.Select(d => d.Number).ToArray();
            Assert.True(numbers.SequenceEqual(numbers.Order()), $"agent {agent.Key}: messages delivered out of order");
        }

        Assert.True(lost.Length == 0, $"{lost.Length} of {Messages} messages were neither delivered nor answered with SendFailed (e.g. #{string.Join(", #", lost.Take(5))})");
        Assert.Equal(Messages, deliveredOnce.Count + failedOnce.Count);
    }

    private static byte[] Payload(int number)
    {
        var payload = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(payload, number);
        BinaryPrimitives.WriteInt32BigEndian(payload.AsSpan(4), ~number); // a frame corrupted in transit would not pass for another
        return payload;
    }

    private static int Number(ReadOnlySpan<byte> payload)
    {
        Assert.Equal(8, payload.Length);
        var number = BinaryPrimitives.ReadInt32BigEndian(payload);
        Assert.Equal(~number, BinaryPrimitives.ReadInt32BigEndian(payload[4..]));
        return number;
    }

    private sealed class Collector : ReceiveActor
    {
        public Collector(ConcurrentQueue<(string Endpoint, byte[] Payload)> failures)
        {
            Receive<SendFailed>(m => failures.Enqueue((m.Endpoint, m.Payload.ToArray())));
        }
    }
}
