using System.Net;

namespace Switchboard.Configuration;

/// <summary>
/// The one rule set for an endpoint and for the listener's address, used by the config loader (and so by
/// <c>check</c>), by runtime AddEndpoint/ReplaceEndpoints, and by start-up: what one accepts, all accept,
/// in the same words. The loader adds each problem's path; the runtime prefixes the field.
/// </summary>
internal static class EndpointRules
{
    public const int MinPort = 1;
    public const int MaxPort = 65535;

    /// <summary>What is wrong with an endpoint name (the SNI sent and the identity required), or null.</summary>
    public static string? NameProblem(string? name) =>
        name is null ? "required" : HostNames.IsValidName(name, out var reason) ? null : reason;

    /// <summary>What is wrong with an endpoint host (a DNS name or an IP literal), or null.</summary>
    public static string? HostProblem(string? host) =>
        host is null ? "required" : HostNames.IsValidHost(host, out var reason) ? null : reason;

    public static string? PortProblem(int port) =>
        port is < MinPort or > MaxPort ? $"must be between {MinPort} and {MaxPort}, got {port}" : null;

    /// <summary>The first problem of an endpoint given at run time, as "field: problem", or null.</summary>
    public static string? Problem(EndpointSettings endpoint) =>
        NameProblem(endpoint.Name) is { } name ? $"name: {name}"
        : HostProblem(endpoint.Host) is { } host ? $"host: {host}"
        : PortProblem(endpoint.Port) is { } port ? $"port: {port}"
        : null;

    /// <summary>
    /// The address the listener binds: an IP literal (brackets allowed), or <c>localhost</c>. A DNS name is
    /// refused, because binding to whatever a name resolves to at start-up is not a choice to make silently.
    /// </summary>
    public static bool TryBindAddress(string host, out IPAddress address, out string reason)
    {
        reason = string.Empty;
        if (host == "localhost")
        {
            address = IPAddress.Loopback;
            return true;
        }

        if (HostNames.IsValidHost(host, out _) && IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            address = literal;
            return true;
        }

        address = IPAddress.None;
        reason = $"must be an IP address to bind to (or localhost), got '{host}'";
        return false;
    }
}
