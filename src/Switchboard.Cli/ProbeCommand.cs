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
    public static async Task<int> RunAsync(Arguments args)
    {
        var pki = new PkiLayout(args.Required("certs"));
        var name = args.Required("name");
        var host = args.Required("host");
        var port = args.Int("port", -1, 1, 65535);
        if (port < 0)
        {
            throw new UsageException("missing --port");
        }

        var count = args.Int("count", 1, 1, 100_000);
        var versionText = args.Optional("tls");
        TlsVersion? version = versionText switch
        {
            null => null,
            "1.2" => TlsVersion.Tls12,
            "1.3" => TlsVersion.Tls13,
            _ => throw new UsageException($"--tls must be 1.2 or 1.3, not '{versionText}'"),
        };
        var echo = args.Flag("echo");
        var sessionFile = args.Optional("session-file");
        args.RejectUnknown();

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
