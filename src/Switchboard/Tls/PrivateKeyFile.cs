namespace Switchboard.Tls;

/// <summary>
/// A private key that group or others may read is a key someone else may hold: refused, as ssh refuses such an
/// identity file, with the file's mode and the fix in the message.
/// </summary>
internal static class PrivateKeyFile
{
    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Why <paramref name="path"/> must not be used as a private key, or null (also when it cannot be inspected: reading it will say why).</summary>
    public static string? Problem(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        UnixFileMode mode;
        try
        {
            mode = File.GetUnixFileMode(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        if ((mode & GroupOrOthers) == 0)
        {
            return null;
        }

        var octal = Convert.ToString((int)mode, 8).PadLeft(4, '0');
        return $"{path} is accessible by group or others (mode {octal}); a private key must be readable by its owner only (chmod 600 {path})";
    }
}
