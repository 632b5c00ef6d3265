using Akka.Configuration;
using Switchboard.Configuration;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Configuration;

/// <summary>
/// A temp directory laid out as an operator would: <c>switchboard.conf</c> beside a <c>pki/</c> folder
/// holding copies of the shared test CA and master certificate, so configs can use relative paths.
/// </summary>
internal sealed class ConfigDirectory : IDisposable
{
    public const string TlsBlock = """
        tls {
          ca = "pki/ca.crt"
          certificate = "pki/master.crt"
          private-key = "pki/master.key"
        }
        """;

    public ConfigDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "switchboard-config-" + Guid.NewGuid().ToString("N")[..12]);
        var pki = System.IO.Path.Combine(Path, "pki");
        Directory.CreateDirectory(pki);
        var layout = TestPki.Instance.Layout;
        System.IO.File.Copy(layout.CaCertificate, System.IO.Path.Combine(pki, "ca.crt"));
        System.IO.File.Copy(layout.MasterCertificate, System.IO.Path.Combine(pki, "master.crt"));
        System.IO.File.Copy(layout.MasterKey, System.IO.Path.Combine(pki, "master.key"));
    }

    public string Path { get; }

    public string PathOf(string relative) => System.IO.Path.Combine(Path, relative);

    /// <summary>Writes <c>switchboard { TLS + body }</c> and returns the file's path.</summary>
    public string WriteSwitchboard(string body, string name = "switchboard.conf") =>
        Write($"switchboard {{\n{TlsBlock}\n{body}\n}}\n", name);

    public string Write(string hocon, string name = "switchboard.conf")
    {
        var path = PathOf(name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, hocon);
        return path;
    }

    /// <summary>Reads a <c>switchboard { }</c> body with valid TLS through the file path, as the CLI does.</summary>
    public SettingsResult Read(string body) => SettingsLoader.ReadFile(WriteSwitchboard(body));

    /// <summary>Reads a config that is not from a file; relative paths would resolve against the current directory.</summary>
    public static SettingsResult ReadString(string hocon) => SettingsLoader.Read(ConfigurationFactory.ParseString(hocon));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
