using System.Runtime.InteropServices;

namespace Switchboard.Tls.Native;

internal static partial class LibSsl
{
    [LibraryImport(NativeLibraries.Ssl)]
    internal static partial int SSL_SESSION_up_ref(IntPtr session);
}
