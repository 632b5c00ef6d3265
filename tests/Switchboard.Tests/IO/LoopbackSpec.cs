using System.Text;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Switchboard.Configuration;
using Switchboard.Supervision;
using Switchboard.Testing.Fleet;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.IO;

/// <summary>
/// The whole path over real sockets on loopback: supervisor → endpoint → IO actor → TLS, against an
/// in-process fleet of echoing agents and against misbehaving raw peers.
/// </summary>
public sealed class LoopbackSpec : TestKit, IAsyncLifetime
{
    private AgentFleet _fleet = null!;

    public LoopbackSpec() : base(Support.Settings.Config("""
        akka.loglevel = WARNING
        switchboard.connection.handshake-timeout = 1s
        switchboard.connection.connect-timeout = 2s
        switchboard.backoff.min = 200ms
        switchboard.backoff.max = 1s
        """))
    {
    }

    public async Task InitializeAsync() => _fleet = await AgentFleet.StartAsync(TestPki.Instance.Layout, 3, port: 0);

    public async Task DisposeAsync() => await _fleet.DisposeAsync();

    private SwitchboardRuntime Start(IEnumerable<EndpointSettings> endpoints)
    {
        var settings = SettingsLoader.Load(Sys.Settings.Config) with { Endpoints = [.. endpoints] };
        return SwitchboardRuntime.Start(Sys, settings);
    }

    private async Task<StatusReport> AwaitStatus(SwitchboardRuntime runtime, Func<StatusReport, bool> condition, TimeSpan? within = null)
    {
        StatusReport? last = null;
        await AwaitAssertAsync(async () =>
        {
            last = await runtime.Supervisor.Ask<StatusReport>(GetStatus.Instance, TimeSpan.FromSeconds(3));
            Assert.True(condition(last), "last status: " + string.Join("; ", last.Endpoints.Select(e => $"{e.Name} {e.State} {e.LastError}")));
        }, within ?? TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(50));
        return last!;
    }

    [Fact]
    public async Task Endpoints_connect_with_mutual_TLS_and_frames_are_echoed_in_order()
    {
        var runtime = Start(_fleet.Endpoints());
        runtime.Supervisor.Tell(new Subscribe(TestActor));
        var status = await AwaitStatus(runtime, s => s.Connected == 3);
        Assert.All(status.Endpoints, e => Assert.Equal("TLSv1.3", e.Protocol));
        Assert.Equal(3, status.FullHandshakes);

        for (var i = 0; i < 20; i++)
        {
            runtime.Supervisor.Tell(new Send("agent-00001", Encoding.UTF8.GetBytes($"frame {i}")), TestActor);
        }

        for (var i = 0; i < 20; i++)
        {
            var received = ExpectMsg<Received>(TimeSpan.FromSeconds(5));
            Assert.Equal("agent-00001", received.Endpoint);
            Assert.Equal($"frame {i}", Encoding.UTF8.GetString(received.Payload));
        }
    }

    [Fact]
    public async Task A_large_frame_crosses_many_TLS_records_intact()
    {
        var runtime = Start(_fleet.Endpoints().Take(1));
        runtime.Supervisor.Tell(new Subscribe(TestActor));
        await AwaitStatus(runtime, s => s.Connected == 1);
        var payload = new byte[512 * 1024];
        new Random(3).NextBytes(payload);
        runtime.Supervisor.Tell(new Send("agent-00000", payload), TestActor);
        Assert.Equal(payload, ExpectMsg<Received>(TimeSpan.FromSeconds(10)).Payload);
    }

    [Fact]
    public async Task A_peer_that_accepts_TCP_and_never_speaks_fails_at_the_handshake_deadline_with_that_reason()
    {
        using var silent = new RawPeer(RawPeer.Behaviour.Silent);
        var runtime = Start([new EndpointSettings("agent-00001", "127.0.0.1", silent.Endpoint.Port)]);
        var status = await AwaitStatus(runtime, s => s.Endpoints.Length > 0 && s.Endpoints[0].LastError is not null);
        Assert.Contains("handshake_timeout", status.Endpoints[0].LastError);
        Assert.Contains("sent nothing", status.Endpoints[0].LastError);
    }

    [Fact]
    public async Task Garbage_from_the_peer_fails_the_handshake_with_a_protocol_error()
    {
        using var garbage = new RawPeer(RawPeer.Behaviour.Garbage);
        var runtime = Start([new EndpointSettings("agent-00001", "127.0.0.1", garbage.Endpoint.Port)]);
        var status = await AwaitStatus(runtime, s => s.Endpoints.Length > 0 && s.Endpoints[0].LastError is not null);
        Assert.StartsWith("protocol", status.Endpoints[0].LastError);
    }

    [Fact]
    public async Task An_agent_presenting_another_name_fails_with_the_identity_error_and_others_stay_connected()
    {
        var endpoints = _fleet.Endpoints();
        // agent-00002's address, but we expect agent-00009 there.
        var wrong = new EndpointSettings("agent-00009", endpoints[2].Host, endpoints[2].Port);
        var runtime = Start([endpoints[0], endpoints[1], wrong]);
        var status = await AwaitStatus(runtime, s => s.Connected == 2 && s.Endpoints.Any(e => e.LastError is not null));
        var failed = status.Endpoints.Single(e => e.Name == "agent-00009");
        Assert.StartsWith("identity", failed.LastError);
        Assert.Contains("peer identity 'agent-00002' does not match endpoint 'agent-00009'", failed.LastError);
    }

    [Fact]
    public async Task A_closed_port_is_refused_and_retried_with_backoff()
    {
        using var probe = new RawPeer(RawPeer.Behaviour.Silent);
        var port = probe.Endpoint.Port;
        probe.Dispose(); // now nothing listens there
        var runtime = Start([new EndpointSettings("agent-00001", "127.0.0.1", port)]);
        var status = await AwaitStatus(runtime, s => s.Endpoints.Length > 0 && s.Endpoints[0].Attempts >= 2);
        Assert.StartsWith("refused", status.Endpoints[0].LastError);
    }

    [Fact]
    public async Task Agents_dropping_their_links_heal_and_nothing_stays_down()
    {
        var runtime = Start(_fleet.Endpoints());
        await AwaitStatus(runtime, s => s.Connected == 3);
        _fleet.DropAllLinks();
        await AwaitStatus(runtime, s => s.Count(EndpointState.Backoff) + s.Count(EndpointState.Queued) + s.Count(EndpointState.Connecting) > 0 || s.FullHandshakes + s.ResumedHandshakes > 3);
        var healed = await AwaitStatus(runtime, s => s.Connected == 3 && s.FullHandshakes + s.ResumedHandshakes >= 6);
        Assert.All(healed.Endpoints, e => Assert.Contains("close_notify", e.LastError));
    }

    [Fact]
    public async Task Replacing_the_endpoint_set_keeps_unchanged_links_untouched()
    {
        var endpoints = _fleet.Endpoints();
        var runtime = Start(endpoints.Take(2));
        await AwaitStatus(runtime, s => s.Connected == 2);
        var replaced = await runtime.Supervisor.Ask<EndpointsReplaced>(new ReplaceEndpoints([endpoints[1], endpoints[2]]), TimeSpan.FromSeconds(5));
        Assert.Equal((1, 1, 1), (replaced.Added, replaced.Removed, replaced.Unchanged));
        var status = await AwaitStatus(runtime, s => s.Connected == 2 && s.Endpoints.Length == 2);
        var kept = status.Endpoints.Single(e => e.Name == "agent-00001");
        Assert.Equal(1, kept.FullHandshakes + kept.ResumedHandshakes); // no new handshake on the unchanged one
        // The removed endpoint left the counts with its table entry: they sum over the two that remain.
        Assert.Equal(2, status.Counts.Values.Sum());
        Assert.Equal(status.Endpoints.Sum(e => e.FullHandshakes + e.ResumedHandshakes), status.FullHandshakes + status.ResumedHandshakes);
    }

    [Fact]
    public async Task Sends_to_an_unknown_endpoint_are_answered_with_send_failed()
    {
        var runtime = Start([]);
        runtime.Supervisor.Tell(new Send("nobody", new byte[] { 1 }), TestActor);
        Assert.Contains("unknown endpoint", ExpectMsg<SendFailed>().Reason);
    }

    [Fact]
    public async Task A_host_name_is_resolved_asynchronously_on_each_attempt()
    {
        using var silent = new RawPeer(RawPeer.Behaviour.Silent);
        var runtime = Start([new EndpointSettings("agent-00001", "localhost", silent.Endpoint.Port)]);
        var status = await AwaitStatus(runtime, s => s.Endpoints.Length > 0 && s.Endpoints[0].Attempts >= 2);
        // It got as far as TCP to 127.0.0.1, so the name resolved.
        Assert.StartsWith("handshake_timeout", status.Endpoints[0].LastError);
        Assert.True(silent.Accepted >= 1);
    }

    [Fact]
    public async Task A_name_that_does_not_resolve_is_a_named_dns_failure_and_is_retried()
    {
        var runtime = Start([new EndpointSettings("agent-00001", "no-such-agent.invalid", 5665)]);
        var status = await AwaitStatus(runtime, s => s.Endpoints.Length > 0 && s.Endpoints[0].Attempts >= 2, TimeSpan.FromSeconds(30));
        Assert.StartsWith("dns: cannot resolve 'no-such-agent.invalid'", status.Endpoints[0].LastError);
    }

    [Fact]
    public async Task Reloaded_TLS_material_is_used_by_new_handshakes_while_live_links_stay_and_broken_material_is_refused()
    {
        var runtime = Start(_fleet.Endpoints().Take(1));
        runtime.Supervisor.Tell(new Subscribe(TestActor));
        await AwaitStatus(runtime, s => s.Connected == 1);
        var tls = runtime.Settings.Tls;

        var broken = runtime.Reload(tls with { PrivateKey = TestPki.Instance.Agent(3).Key });
        Assert.Contains("key values mismatch", broken);

        // A renewed certificate (same CA, same name): accepted, and the live link is untouched.
        var renewedDir = Directory.CreateTempSubdirectory("renewed-").FullName;
        using (var ca = Switchboard.Testing.Pki.CertificateAuthority.Load(TestPki.Instance.Layout.CaCertificate, TestPki.Instance.Layout.CaKey))
        {
            ca.Issue("master").WriteTo(Path.Combine(renewedDir, "master.crt"), Path.Combine(renewedDir, "master.key"));
        }

        Assert.Null(runtime.Reload(tls with { Certificate = Path.Combine(renewedDir, "master.crt"), PrivateKey = Path.Combine(renewedDir, "master.key") }));
        // The live link answers after the reload, and it is still the first one: no handshake happened since.
        runtime.Supervisor.Tell(new Send("agent-00000", Encoding.UTF8.GetBytes("after reload")), TestActor);
        Assert.Equal("after reload", Encoding.UTF8.GetString(ExpectMsg<Received>(TimeSpan.FromSeconds(5)).Payload));
        var after = await AwaitStatus(runtime, s => true);
        Assert.Equal((1, 1L), (after.Connected, after.FullHandshakes + after.ResumedHandshakes));

        // The next link uses the renewed certificate: a new fingerprint means a new resumption key, so a full handshake.
        _fleet.DropAllLinks();
        var healed = await AwaitStatus(runtime, s => s.Connected == 1 && s.FullHandshakes + s.ResumedHandshakes == 2);
        Assert.Equal(2, healed.FullHandshakes);
        Directory.Delete(renewedDir, recursive: true);
    }
}
