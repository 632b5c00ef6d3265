using System.Globalization;
using System.Text;
using Switchboard.Configuration;

namespace Switchboard.Hosting;

/// <summary>
/// Code-first configuration for <c>WithSwitchboard(...)</c>. Rendered as HOCON and prepended, so it wins
/// over the application's config files; everything left null keeps reference.conf's default.
/// </summary>
public sealed class SwitchboardOptions
{
    public string? Ca { get; set; }

    public string? Certificate { get; set; }

    public string? PrivateKey { get; set; }

    public IList<EndpointSettings> Endpoints { get; set; } = [];

    /// <summary>Where sessions and ticket keys persist across restarts; null = memory only.</summary>
    public string? PersistPath { get; set; }

    public int? IoActors { get; set; }

    public int? MaxConcurrentHandshakes { get; set; }

    public double? HandshakesPerSecond { get; set; }

    public TimeSpan? ConnectTimeout { get; set; }

    public TimeSpan? HandshakeTimeout { get; set; }

    public TimeSpan? BackoffMin { get; set; }

    /// <summary><c>connection.acknowledgements</c>: negotiate the acknowledged framing (exactly-once, in-order delivery or SendFailed).</summary>
    public bool? Acknowledgements { get; set; }

    public TimeSpan? BackoffMax { get; set; }

    /// <summary>
    /// Switchboard's (and the actor system's) log events go to the host's <c>ILoggerFactory</c>, so its
    /// levels per category and its providers apply; categories are the logging classes' full names
    /// (<c>Switchboard.Resumption.ResumptionCacheActor</c>, ...). Off = Akka's own loggers, as configured.
    /// </summary>
    public bool UseHostLogging { get; set; } = true;

    internal string ToHocon()
    {
        var hocon = new StringBuilder("switchboard {\n");
        Line(hocon, "tls.ca", Ca);
        Line(hocon, "tls.certificate", Certificate);
        Line(hocon, "tls.private-key", PrivateKey);
        Line(hocon, "resumption.persist-path", PersistPath);
        Line(hocon, "io.actors", IoActors);
        Line(hocon, "admission.max-concurrent-handshakes", MaxConcurrentHandshakes);
        Line(hocon, "admission.handshakes-per-second", HandshakesPerSecond);
        Line(hocon, "connection.connect-timeout", ConnectTimeout);
        Line(hocon, "connection.handshake-timeout", HandshakeTimeout);
        Line(hocon, "connection.acknowledgements", Acknowledgements);
        Line(hocon, "backoff.min", BackoffMin);
        Line(hocon, "backoff.max", BackoffMax);
        if (Endpoints.Count > 0)
        {
            hocon.Append("  endpoints = [\n");
            foreach (var endpoint in Endpoints)
            {
                hocon.Append(CultureInfo.InvariantCulture, $"    {{ name = {Quote(endpoint.Name)}, host = {Quote(endpoint.Host)}, port = {endpoint.Port} }}\n");
            }

            hocon.Append("  ]\n");
        }

        return hocon.Append("}\n").ToString();
    }

    private static void Line(StringBuilder hocon, string path, object? value)
    {
        var text = value switch
        {
            null => null,
            string s => Quote(s),
            bool b => b ? "on" : "off",
            TimeSpan t => $"{(long)t.TotalMilliseconds}ms",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => Quote(value.ToString()!),
        };
        if (text is not null)
        {
            hocon.Append(CultureInfo.InvariantCulture, $"  {path} = {text}\n");
        }
    }

    // HOCON quoted strings follow JSON's escaping.
    private static string Quote(string value) => System.Text.Json.JsonSerializer.Serialize(value);
}
