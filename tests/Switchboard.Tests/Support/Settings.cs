using Akka.Configuration;
using Switchboard.Configuration;

namespace Switchboard.Tests.Support;

/// <summary>Settings for tests: reference defaults, the test PKI's master identity, and overrides.</summary>
internal static class Settings
{
    public static Config Config(string overrides = "")
    {
        var pki = TestPki.Instance.Layout;
        return ConfigurationFactory.ParseString(overrides)
            .WithFallback(pki.MasterTlsConfig())
            .WithFallback(SettingsLoader.LoadReference());
    }

    public static SwitchboardSettings Load(string overrides = "") => SettingsLoader.Load(Config(overrides));
}
