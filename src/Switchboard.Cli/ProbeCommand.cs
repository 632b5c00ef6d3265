using System.Net;
using Akka.Actor;
using Akka.Configuration;
using Switchboard.Configuration;
using Switchboard.Diagnostics;
using Switchboard.IO;
using Switchboard.Testing;
using Switchboard.Testing.Pki;
using Switchboard.Tls;

namespace Switchboard.Cli;

/// <summary>
/// <c>probe --certs DIR --name NAME --host H --port P [--count K] [--tls 1.2|1.3] [--echo] [--session-file F]</c>:
/// K sequential connections as the master, one JSON line each; exit 0 only if all succeed.
/// </summary>
internal static class ProbeCommand
{
    /// <param name="version">The pinned TLS version, or null to negotiate.</param>
    public static async Task<int> RunAsync(string certs, string name, string host, int port, int count, TlsVersion? version, bool echo, string? sessionFile)
    {
        var pki = new PkiLayout(certs);
        IPAddress address;
        try
        {
            address = IPAddress.TryParse(host, out var literal) ? literal : (await Dns.GetHostAddressesAsync(host))[0];
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IndexOutOfRangeException)
        {
            Console.Out.WriteLine(new ProbeResult(1, false, null, null, false, null, $"cannot resolve '{host}': {e.Message}").ToJson());
            return 1;
        }

        var config = ConfigurationFactory.ParseString("""
            switchboard.io.actors = 1
            akka.loglevel = ERROR
            """).WithFallback(pki.MasterTlsConfig()).WithFallback(SettingsLoader.LoadReference());
        SwitchboardSettings settings;
        try
        {
            settings = SettingsLoader.Load(config);
        }
        catch (SwitchboardConfigException e)
        {
            Console.Error.WriteLine($"switchboard probe: {e.Message}");
            return 1;
        }

        byte[]? session = null;
        if (sessionFile is not null)
        {
            session = SessionPem.Read(sessionFile, out var problem);
            if (problem is not null)
            {
                Console.Error.WriteLine($"switchboard probe: ignoring session file: {problem}");
            }
        }

        var tls = new TlsSettings(pki.CaCertificate, pki.MasterCertificate, pki.MasterKey, version ?? TlsVersion.Tls12, version ?? TlsVersion.Tls13, AllowPskWithoutDhe: false);
        var request = new ProbeRequest(name, new IPEndPoint(address, port), tls, count, echo, session);
        var system = ActorSystem.Create("probe", config);
        ProbeOutcome outcome;
        try
        {
            outcome = await Probe.RunAsync(IoPool.Start(system, settings, "probe-io"), request, result => Console.Out.WriteLine(result.ToJson()));
        }
        catch (TlsConfigurationException e)
        {
            Console.Error.WriteLine($"switchboard probe: {e.Message}");
            return 1;
        }
        finally
        {
            await system.Terminate();
        }

        if (sessionFile is not null && outcome.Session is not null)
        {
            SessionPem.Write(sessionFile, outcome.Session);
        }

        return outcome.Failures == 0 ? 0 : 1;
    }
}
