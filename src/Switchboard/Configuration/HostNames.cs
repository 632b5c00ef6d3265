using System.Net;
using System.Net.Sockets;

namespace Switchboard.Configuration;

/// <summary>
/// Syntax checks for endpoint hosts and names. No DNS lookups: <c>check</c> must give the same answer
/// offline, and resolution is the connection's job at connect time.
/// </summary>
internal static class HostNames
{
    private const int MaxDnsLength = 253;
    private const int MaxLabelLength = 63;

    /// <summary>A DNS host name, a dotted-quad IPv4 literal or an IPv6 literal (brackets optional).</summary>
    public static bool IsValidHost(string host, out string reason)
    {
        reason = string.Empty;
        if (host.Length == 0)
        {
            reason = "must not be empty";
            return false;
        }

        if (host.Contains(':', StringComparison.Ordinal) || host.StartsWith('['))
        {
            var literal = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
            if (IPAddress.TryParse(literal, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6)
            {
                return true;
            }

            reason = $"'{host}' is not a valid IPv6 address";
            return false;
        }

        // All digits and dots: the user meant an IPv4 literal, so hold it to the dotted-quad form
        // (IPAddress.TryParse would accept "127.1" or "5665").
        if (IsDigitsAndDots(host))
        {
            if (IsDottedQuad(host))
            {
                return true;
            }

            reason = $"'{host}' is not a valid IPv4 address (expected four numbers 0-255 separated by dots)";
            return false;
        }

        if (IsDnsName(host, isHost: true, out var why))
        {
            return true;
        }

        reason = $"'{host}' is not a valid host name or IP address: {why}";
        return false;
    }

    /// <summary>An endpoint name: the SNI sent and the identity expected in the peer certificate.</summary>
    public static bool IsValidName(string name, out string reason)
    {
        reason = string.Empty;
        if (name.Length == 0)
        {
            reason = "must not be empty";
            return false;
        }

        if (IsDnsName(name, isHost: false, out var why))
        {
            return true;
        }

        reason = $"'{name}' is not a valid endpoint name (letters, digits, '-', '.', '_'): {why}";
        return false;
    }

    /// <summary>
    /// A name that is an address: an IPv4 dotted quad or an IPv6 literal. TLS names it by an iPAddress SAN and
    /// SNI must not carry it (RFC 6066).
    /// </summary>
    public static bool IsIpLiteral(string name) =>
        IsDottedQuad(name) || (name.Contains(':', StringComparison.Ordinal) && IPAddress.TryParse(name, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6);

    private static bool IsDigitsAndDots(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c) && c != '.')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Four numbers 0-255 of one to three digits, separated by dots.</summary>
    private static bool IsDottedQuad(string text)
    {
        var parts = 0;
        var digits = 0;
        var value = 0;
        foreach (var c in text)
        {
            if (c == '.')
            {
                if (digits == 0 || ++parts == 4)
                {
                    return false;
                }

                digits = 0;
                value = 0;
            }
            else if (char.IsAsciiDigit(c) && ++digits <= 3)
            {
                value = (value * 10) + (c - '0');
                if (value > 255)
                {
                    return false;
                }
            }
            else
            {
                return false;
            }
        }

        return parts == 3 && digits > 0;
    }

    /// <param name="isHost">Hosts may end in '.' (fully qualified); names may contain '_' (identities in the wild do).</param>
    private static bool IsDnsName(string text, bool isHost, out string why)
    {
        why = string.Empty;
        var allowUnderscore = !isHost;
        var name = isHost && text.EndsWith('.') ? text[..^1] : text;
        if (name.Length > MaxDnsLength)
        {
            why = $"longer than {MaxDnsLength} characters";
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' || (allowUnderscore && c == '_')))
            {
                why = $"character '{c}' is not allowed";
                return false;
            }
        }

        foreach (var label in name.Split('.'))
        {
            if (label.Length == 0)
            {
                why = "empty label (leading, trailing or doubled '.')";
                return false;
            }

            if (label.Length > MaxLabelLength)
            {
                why = $"label '{label[..16]}...' is longer than {MaxLabelLength} characters";
                return false;
            }

            if (label.StartsWith('-') || label.EndsWith('-'))
            {
                why = $"label '{label}' starts or ends with '-'";
                return false;
            }
        }

        return true;
    }
}
