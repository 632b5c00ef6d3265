using System.Reflection;
using System.Runtime.InteropServices;

namespace Switchboard.Tls.Native;

/// <summary>
/// Maps the logical names "libssl"/"libcrypto" to the versioned OpenSSL 3 sonames: the unversioned
/// <c>.so</c> symlinks exist only where the -dev packages are installed.
/// </summary>
internal static class NativeLibraries
{
    public const string Ssl = "libssl";
    public const string Crypto = "libcrypto";

    private static readonly object Gate = new();
    private static bool _registered;

    /// <summary>Idempotent; called from the static constructors of <see cref="LibSsl"/> and <see cref="LibCrypto"/>.</summary>
    public static void Register()
    {
        lock (Gate)
        {
            if (_registered)
            {
                return;
            }
            _registered = true;
            try
            {
                NativeLibrary.SetDllImportResolver(typeof(NativeLibraries).Assembly, Resolve);
            }
            catch (InvalidOperationException)
            {
                // Someone else in this assembly owns the resolver; they must map these names too.
            }
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        var candidates = name switch
        {
            Ssl => new[] { "libssl.so.3", "libssl.3.dylib", "libssl-3-x64.dll" },
            Crypto => new[] { "libcrypto.so.3", "libcrypto.3.dylib", "libcrypto-3-x64.dll" },
            _ => null,
        };
        if (candidates is null)
        {
            return IntPtr.Zero;
        }
        foreach (var candidate in candidates)
        {
            if (NativeLibrary.TryLoad(candidate, assembly, searchPath, out var handle))
            {
                return handle;
            }
        }
        throw new DllNotFoundException($"OpenSSL 3 is required: none of {string.Join(", ", candidates)} could be loaded (install the libssl3 package)");
    }
}
