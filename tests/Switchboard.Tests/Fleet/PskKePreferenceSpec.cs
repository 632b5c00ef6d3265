using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Switchboard.Configuration;
using Switchboard.Diagnostics;
using Switchboard.Supervision;
using Switchboard.Testing.Fleet;
using Switchboard.Tests.Support;
using Switchboard.Tls;
using static Switchboard.Tests.Tls.TlsContexts;

namespace Switchboard.Tests.Fleet;

/// <summary>
/// Agents that prefer psk_ke, standing in for OpenSSL 3.3+ agents with SSL_OP_PREFER_NO_DHE_KEX: what a master's
/// <c>tls13-resumption-key-exchange = "psk_ke"</c> gets from such peers, and what it gets without the setting.
/// </summary>
public sealed class PskKePreferenceSpec : TestKit
{
    private const string Agent3 = "agent-00003";

    public PskKePreferenceSpec() : base(Support.Settings.Config("""
        akka.loglevel = WARNING
        switchboard.tls.tls13-resumption-key-exchange = "psk_ke"
        """))
    {
    }

    [Fact]
    public void A_master_that_allows_psk_ke_resumes_without_a_key_exchange_and_its_full_handshake_keeps_one()
    {
        using var master = TlsContext.CreateClient(MasterOptions(TlsVersion.Tls13, TlsVersion.Tls13) with { AllowPskWithoutDhe = true });
        using var agent = PreferringAgent();
        using var second = ResumedAfterFull(master, agent, out var full);

        Assert.False(full.Resumed);
        Assert.True(full.EphemeralKeyExchange);
        Assert.True(second.Client.Handshake!.Resumed);
        Assert.False(second.Client.Handshake.EphemeralKeyExchange);
        Assert.False(second.Server.Handshake!.EphemeralKeyExchange);
        // The resumption brings its own ticket, so the next reconnect resumes the same way.
        Assert.NotEmpty(second.ClientSessions);
    }

    [Fact]
    public void A_master_with_the_default_resumes_by_psk_dhe_ke_against_the_same_agent()
    {
        using var master = Master(TlsVersion.Tls13);
        using var agent = PreferringAgent();
        using var second = ResumedAfterFull(master, agent, out _);

        Assert.True(second.Client.Handshake!.Resumed);
        Assert.True(second.Client.Handshake.EphemeralKeyExchange);
        Assert.True(second.Server.Handshake!.EphemeralKeyExchange);
    }

    [Fact]
    public void Only_a_server_context_that_allows_psk_ke_can_prefer_it()
    {
        using var agent = Agent(3, TlsVersion.Tls13);
        using var master = TlsContext.CreateClient(MasterOptions() with { AllowPskWithoutDhe = true });

        Assert.Throws<ArgumentException>(() => PskKePreference.Install(agent));
        Assert.Throws<ArgumentException>(() => PskKePreference.Install(master));
    }

    [Theory]
    [InlineData(new byte[] { 1, 0 }, true)]
    [InlineData(new byte[] { 2, 1, 0 }, true)]
    [InlineData(new byte[] { 1, 1 }, false)]
    [InlineData(new byte[] { 3, 1, 0 }, false)]
    [InlineData(new byte[] { }, false)]
    public void The_modes_offered_are_read_from_the_extension(byte[] body, bool offersPskKe)
    {
        Assert.Equal(offersPskKe, PskKePreference.OffersPskKe(body));
    }

    [Fact]
    public async Task A_fleet_that_prefers_psk_ke_is_reconnected_without_key_exchanges_and_the_meter_says_so()
    {
        var resumedWithout = new ConcurrentBag<long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SwitchboardMetrics.MeterName && instrument.Name == "switchboard.tls.handshakes")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var t = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                t[tag.Key] = tag.Value;
            }

            // No other test resumes TLS 1.3 without a key exchange, so these are this test's own.
            if (Equals(t.GetValueOrDefault("direction"), "outbound") && Equals(t.GetValueOrDefault("protocol"), "TLSv1.3")
                && Equals(t.GetValueOrDefault("resumed"), true) && Equals(t.GetValueOrDefault("ephemeral_key_exchange"), false))
            {
                resumedWithout.Add(value);
            }
        });
        listener.Start();
        await using var fleet = await AgentFleet.StartAsync(TestPki.Instance.Layout, 2, port: 0, preferPskKe: true);
        var runtime = SwitchboardRuntime.Start(Sys, SettingsLoader.Load(Sys.Settings.Config) with { Endpoints = [.. fleet.Endpoints()] });
        await AwaitConnected(runtime, 2, 0);

        fleet.DropAllLinks();
        await AwaitConnected(runtime, 2, 2);

        Assert.True(resumedWithout.Sum() >= 2, $"resumed without a key exchange: {resumedWithout.Sum()}");
    }

    private async Task AwaitConnected(SwitchboardRuntime runtime, int connected, long resumed) =>
        await AwaitAssertAsync(async () =>
        {
            var status = await runtime.Supervisor.Ask<StatusReport>(GetStatus.Instance, TimeSpan.FromSeconds(3));
            Assert.Equal(connected, status.Connected);
            Assert.True(status.ResumedHandshakes >= resumed, $"resumed {status.ResumedHandshakes}");
        }, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(100));

    /// <summary>A full handshake (what the client saw of it in <paramref name="full"/>), closed with close_notify so
    /// its ticket stays resumable, then a resumption from its newest ticket.</summary>
    private static Tls.TlsPair ResumedAfterFull(TlsContext master, TlsContext agent, out HandshakeInfo full)
    {
        using var first = Tls.TlsPair.Connect(master, agent, Agent3);
        first.CloseFromClient();
        full = first.Client.Handshake!;
        return Tls.TlsPair.Connect(master, agent, Agent3, first.ClientSessions[^1]);
    }

    private static TlsContext PreferringAgent()
    {
        var agent = TlsContext.CreateServer(AgentOptions(3, TlsVersion.Tls13, TlsVersion.Tls13) with { AllowPskWithoutDhe = true });
        PskKePreference.Install(agent);
        return agent;
    }
}
