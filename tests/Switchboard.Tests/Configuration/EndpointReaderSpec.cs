using Akka.Configuration;
using Switchboard.Configuration;

namespace Switchboard.Tests.Configuration;

public sealed class EndpointReaderSpec
{
    private static EndpointListResult ReadList(string endpoints) =>
        EndpointReader.ReadList(ConfigurationFactory.ParseString($"switchboard.endpoints = {endpoints}"));

    private static (bool Ok, EndpointSettings? Endpoint, IReadOnlyList<ConfigProblem> Problems) ParseOne(string hocon)
    {
        var ok = EndpointReader.TryParse(ConfigurationFactory.ParseString(hocon), "switchboard.endpoints[7]", out var endpoint, out var problems);
        return (ok, endpoint, problems);
    }

    [Fact]
    public void One_bad_endpoint_among_good_ones_is_rejected_alone()
    {
        var result = ReadList("""
            [
              { name = "agent-00000", host = "127.10.0.1", port = 5665 }
              { name = "agent-00001", host = "127.10.0.2", port = 5665 }
              { name = "agent-00002", host = "127.10.0.3", port = 5665 }
              { name = "agent-00003", host = "127.10.0.4", port = 70000 }
              { name = "agent-00004", host = "127.10.0.5", port = 5665 }
              { name = "agent-00002", host = "127.10.0.6", port = 5665 }
            ]
            """);

        Assert.Equal(["agent-00000", "agent-00001", "agent-00002", "agent-00004"], result.Endpoints.Select(e => e.Name));
        Assert.Equal("127.10.0.3", result.Endpoints[2].Host);
        Assert.Equal(
            [
                new ConfigProblem("switchboard.endpoints[3].port", "must be between 1 and 65535, got 70000"),
                new ConfigProblem("switchboard.endpoints[5].name", "duplicate of switchboard.endpoints[2] ('agent-00002')"),
            ],
            result.Problems.ToArray());
    }

    [Fact]
    public void Names_are_compared_case_insensitively_for_duplicates()
    {
        var result = ReadList("""[ { name = "Agent-A", host = "a", port = 1 }, { name = "agent-a", host = "b", port = 2 } ]""");

        Assert.Single(result.Endpoints);
        Assert.Equal("switchboard.endpoints[1].name", Assert.Single(result.Problems).Path);
    }

    [Fact]
    public void An_entry_that_is_not_an_object_is_reported_by_index()
    {
        var result = ReadList("""[ "agent-00000:5665", { name = "ok", host = "localhost", port = 1 } ]""");

        Assert.Equal(["ok"], result.Endpoints.Select(e => e.Name));
        var problem = Assert.Single(result.Problems);
        Assert.Equal("switchboard.endpoints[0]", problem.Path);
        Assert.Equal("must be an object { name, host, port }, got 'agent-00000:5665'", problem.Message);
    }

    [Fact]
    public void Every_problem_of_one_entry_is_reported()
    {
        var (ok, endpoint, problems) = ParseOne("""name = "", host = "300.1.2.3", port = "abc", weight = 2""");

        Assert.False(ok);
        Assert.Null(endpoint);
        Assert.Equal(
            [
                new ConfigProblem("switchboard.endpoints[7].weight", "unknown setting (an endpoint has only name, host and port)"),
                new ConfigProblem("switchboard.endpoints[7].name", "must not be empty"),
                new ConfigProblem("switchboard.endpoints[7].host", "'300.1.2.3' is not a valid IPv4 address (expected four numbers 0-255 separated by dots)"),
                new ConfigProblem("switchboard.endpoints[7].port", "must be an integer, got 'abc'"),
            ],
            problems.ToArray());
    }

    [Fact]
    public void Missing_keys_are_required()
    {
        var (ok, _, problems) = ParseOne("""name = "agent-00000" """);

        Assert.False(ok);
        Assert.Equal(
            [new ConfigProblem("switchboard.endpoints[7].host", "required"), new ConfigProblem("switchboard.endpoints[7].port", "required")],
            problems.ToArray());
    }

    [Fact]
    public void A_good_entry_parses()
    {
        var (ok, endpoint, problems) = ParseOne("""name = "agent-00000", host = "127.10.0.1", port = 5665""");

        Assert.True(ok);
        Assert.Empty(problems);
        Assert.Equal(new EndpointSettings("agent-00000", "127.10.0.1", 5665), endpoint);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("agent-1.example.com")]
    [InlineData("agent-1.example.com.")]
    [InlineData("10.0.0.255")]
    [InlineData("::1")]
    [InlineData("2001:db8::17")]
    [InlineData("[2001:db8::17]")]
    public void Valid_hosts_are_accepted(string host) =>
        Assert.True(HostNames.IsValidHost(host, out var reason), reason);

    [Theory]
    [InlineData("", "must not be empty")]
    [InlineData("127.1", "not a valid IPv4 address")]
    [InlineData("256.0.0.1", "not a valid IPv4 address")]
    [InlineData("5665", "not a valid IPv4 address")]
    [InlineData("::g", "not a valid IPv6 address")]
    [InlineData("agent_1.example", "character '_' is not allowed")]
    [InlineData("-agent.example", "starts or ends with '-'")]
    [InlineData("a..b", "empty label")]
    [InlineData("host name", "character ' ' is not allowed")]
    public void Invalid_hosts_are_rejected_with_a_reason(string host, string fragment)
    {
        Assert.False(HostNames.IsValidHost(host, out var reason));
        Assert.Contains(fragment, reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.10.0.1", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("255.255.255.255", true)]
    [InlineData("::1", true)]
    [InlineData("256.0.0.1", false)]
    [InlineData("1.2.3", false)]
    [InlineData("1.2.3.4.5", false)]
    [InlineData("1..3.4", false)]
    [InlineData("1.2.3.", false)]
    [InlineData("1234.1.1.1", false)]
    // Four short labels are a DNS name, not an address (this one once threw while being parsed as numbers).
    [InlineData("db1.dc2.eu.int", false)]
    [InlineData("a.b.c.d", false)]
    [InlineData("agent-00000", false)]
    public void A_name_is_an_ip_literal_only_in_dotted_quad_or_ipv6_form(string name, bool literal) =>
        Assert.Equal(literal, HostNames.IsIpLiteral(name));

    [Theory]
    [InlineData("agent-00000")]
    [InlineData("agent_00000.site-a")]
    [InlineData("A1")]
    public void Valid_names_are_accepted(string name) =>
        Assert.True(HostNames.IsValidName(name, out var reason), reason);

    [Theory]
    [InlineData("agent 1", "character ' ' is not allowed")]
    [InlineData("agent/1", "character '/' is not allowed")]
    [InlineData("agent.", "empty label")]
    [InlineData(".agent", "empty label")]
    public void Invalid_names_are_rejected_with_a_reason(string name, string fragment)
    {
        Assert.False(HostNames.IsValidName(name, out var reason));
        Assert.Contains(fragment, reason, StringComparison.Ordinal);
    }
}
