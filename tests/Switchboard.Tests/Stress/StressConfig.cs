using Akka.Configuration;
using Switchboard.Configuration;

namespace Switchboard.Tests.Stress;

/// <summary>
/// Short deadlines, so every fault shows within seconds: a stalled handshake is cut after 2 s, a silent
/// link after 3 s, and backoff never waits more than 2 s.
/// </summary>
internal static class StressConfig
{
    public static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan BackoffMax = TimeSpan.FromSeconds(2);

    /// <summary>The master's config (the TestKit system's).</summary>
    public static Config Master(string overrides = "") => ConfigurationFactory.ParseString(overrides)
        .WithFallback(ConfigurationFactory.ParseString($$"""
            akka.loglevel = WARNING
            switchboard {
              tls {
                ca = "{{StressPki.Layout.CaCertificate}}"
                certificate = "{{StressPki.Layout.MasterCertificate}}"
                private-key = "{{StressPki.Layout.MasterKey}}"
              }
              connection {
                handshake-timeout = 2s
                connect-timeout = 2s
                idle-timeout = 3s
                heartbeat-interval = 1s
                close-timeout = 1s
              }
              backoff {
                min = 100ms
                max = 2s
              }
            }
            """))
        .WithFallback(SettingsLoader.LoadReference());

    /// <summary>
    /// The fleet's config: agents heartbeat every second too, or the master's 3 s idle-timeout would cut
    /// healthy links whose agent has nothing to say; and they log through the TestKit's listener, so specs
    /// can put an EventFilter on the fleet's actor system too.
    /// </summary>
    public const string Fleet = """
        switchboard.connection.heartbeat-interval = 1s
        switchboard.connection.handshake-timeout = 2s
        akka.loggers = ["Akka.TestKit.TestEventListener, Akka.TestKit"]
        """;
}
