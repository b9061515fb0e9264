using Cake.Core;
using Dockyard.Diagnostics;
using Dockyard.Hosting;

namespace Dockyard.Cake.Hosting;

/// <summary>Runs a use case for an alias: the session's host, and a <see cref="DockyardException"/> as a <see cref="CakeException"/>.</summary>
internal static class CakeCall
{
    public static T Run<T>(ICakeContext context, Func<HostContext, DockyardSession, Task<T>> useCase)
    {
        ArgumentNullException.ThrowIfNull(context);
        var session = DockyardSession.Of(context);
        try
        {
            return useCase(session.Host(context), session).GetAwaiter().GetResult();
        }
        catch (DockyardException ex)
        {
            throw new CakeException(session.Masker.Mask($"error {ex.Code}: {ex.Message}"));
        }
    }
}
