using System.Text;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Switchboard.Configuration;
using Switchboard.Supervision;

namespace Switchboard.Tests.Configuration;

/// <summary>
/// One rule set: every endpoint the config loader (and so <c>check</c>) rejects, a running Switchboard
/// rejects when it is added at run time, and every one the loader accepts, the runtime accepts.
/// </summary>
public sealed class EndpointRulesSpec : TestKit, IDisposable
{
    private readonly ConfigDirectory _dir = new();

    public EndpointRulesSpec() : base(Support.Settings.Config("akka.loglevel = WARNING"))
    {
    }

    public static TheoryData<string, string, int> Cases => new()
    {
        { "agent-00001", "127.10.0.1", 5665 },
        { "agent_b.example", "agents.example.com", 1 },
        { "v6", "::1", 65535 },
        { "v6-bracketed", "[fe80::1]", 443 },
        { "fqdn", "agents.example.com.", 5665 },
        { "short-ipv4", "127.1", 5665 },
        { "bare-number", "5665", 5665 },
        { "double-dot", "a..b", 5665 },
        { "dash-label", "-agent.example.com", 5665 },
        { "underscore-host", "agent_1.example.com", 5665 },
        { "bad-v6", "::1::2", 5665 },
        { "with space", "127.0.0.1", 5665 },
        { "-leading-dash", "127.0.0.1", 5665 },
        { "port-zero", "127.0.0.1", 0 },
        { "port-high", "127.0.0.1", 70000 },
        { "", "127.0.0.1", 5665 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_runtime_rejects_an_endpoint_exactly_when_the_config_loader_does(string name, string host, int port)
    {
        var loaded = _dir.Read($$"""endpoints = [ { name = "{{name}}", host = "{{host}}", port = {{port}} } ]""");
        var loaderAccepts = loaded.Problems.IsEmpty;

        var runtime = SwitchboardRuntime.Start(Sys, Support.Settings.Load(), $"rules-{Hex(name + host + port)}");
        var answer = await runtime.Supervisor.Ask<object>(new AddEndpoint(new EndpointSettings(name, host, port)), TimeSpan.FromSeconds(5));

        Assert.Equal(loaderAccepts, answer is EndpointAdded);
        if (answer is EndpointRejected rejected)
        {
            // The same words: the loader's message is the runtime's, after the field it names.
            var problem = Assert.Single(loaded.Problems);
            Assert.EndsWith(problem.Message, rejected.Reason, StringComparison.Ordinal);
            Assert.StartsWith(problem.Path[(problem.Path.LastIndexOf('.') + 1)..] + ": ", rejected.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Names_are_unique_regardless_of_case_at_run_time_as_in_the_config()
    {
        var runtime = SwitchboardRuntime.Start(Sys, Support.Settings.Load());
        Assert.IsType<EndpointAdded>(await runtime.Supervisor.Ask<object>(new AddEndpoint(new EndpointSettings("agent-00001", "127.10.0.1", 1)), TimeSpan.FromSeconds(5)));
        var duplicate = await runtime.Supervisor.Ask<object>(new AddEndpoint(new EndpointSettings("AGENT-00001", "127.10.0.2", 1)), TimeSpan.FromSeconds(5));
        Assert.Contains("duplicate", Assert.IsType<EndpointRejected>(duplicate).Reason);
    }

    [Fact]
    public async Task Settings_built_in_code_start_with_an_invalid_first_endpoint_and_serve_the_rest()
    {
        // Settings built in code skip the loader's checks; the start compiles its path on the first endpoint.
        EndpointSettings[] endpoints = [new(null!, "127.10.0.1", 1), new("agent_1.example.com", "127.10.0.2", 0), new("agent-00003", "127.10.0.3", 1)];
        var runtime = SwitchboardRuntime.Start(Sys, Support.Settings.Load() with { Endpoints = [.. endpoints] }, "rules-in-code");

        await AwaitAssertAsync(async () =>
        {
            var status = await runtime.Supervisor.Ask<StatusReport>(GetStatus.Instance, TimeSpan.FromSeconds(5));
            Assert.Equal("agent-00003", Assert.Single(status.Endpoints).Name);
        }, TimeSpan.FromSeconds(10));
        Assert.IsType<EndpointAdded>(await runtime.Supervisor.Ask<object>(new AddEndpoint(new EndpointSettings("agent-00004", "127.10.0.4", 1)), TimeSpan.FromSeconds(5)));
    }

    private static string Hex(string text) => Convert.ToHexString(Encoding.UTF8.GetBytes(text))[..Math.Min(32, text.Length * 2)];

    void IDisposable.Dispose()
    {
        _dir.Dispose();
        base.Dispose();
    }
}
