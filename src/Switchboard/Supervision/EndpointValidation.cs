using System.Net;
using Switchboard.Configuration;

namespace Switchboard.Supervision;

/// <summary>The runtime check of one endpoint (the config loader reports the same problems with paths).</summary>
internal static class EndpointValidation
{
    public static string? Problem(EndpointSettings endpoint)
    {
        if (string.IsNullOrWhiteSpace(endpoint.Name))
        {
            return "endpoint name is empty";
        }

        if (endpoint.Name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_')))
        {
            return $"endpoint name '{endpoint.Name}' may contain only letters, digits, '-', '.' and '_'";
        }

        if (string.IsNullOrWhiteSpace(endpoint.Host))
        {
            return $"endpoint '{endpoint.Name}' has no host";
        }

        if (!IPAddress.TryParse(endpoint.Host, out _) && Uri.CheckHostName(endpoint.Host) != UriHostNameType.Dns)
        {
            return $"endpoint '{endpoint.Name}' has an invalid host '{endpoint.Host}'";
        }

        if (endpoint.Port is < 1 or > 65535)
        {
            return $"endpoint '{endpoint.Name}' port must be between 1 and 65535, got {endpoint.Port}";
        }

        return null;
    }
}
