namespace Switchboard.Cli;

/// <summary>
/// The <c>--session-file</c> format: PEM "SSL SESSION PARAMETERS", the same as <c>openssl s_client
/// -sess_out</c>, so a session can go back and forth between probe and openssl.
/// </summary>
internal static class SessionPem
{
    private const string Label = "SSL SESSION PARAMETERS";

    public static void Write(string path, byte[] der)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, new string(System.Security.Cryptography.PemEncoding.Write(Label, der)) + "\n");
        File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temp, path, overwrite: true);
    }

    /// <returns>The DER, or null (with a reason) when the file is absent or not a session.</returns>
    public static byte[]? Read(string path, out string? problem)
    {
        problem = null;
        if (!File.Exists(path))
        {
            return null;
        }

        var text = File.ReadAllText(path);
        if (!System.Security.Cryptography.PemEncoding.TryFind(text, out var fields) || text[fields.Label] != Label)
        {
            problem = $"{path} holds no PEM '{Label}' block";
            return null;
        }

        return Convert.FromBase64String(text[fields.Base64Data]);
    }
}
