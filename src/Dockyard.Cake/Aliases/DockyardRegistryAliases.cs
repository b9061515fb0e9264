using Cake.Core;
using Cake.Core.Annotations;
using Dockyard.Cake.Hosting;
using Dockyard.Credentials;

namespace Dockyard.Cake.Aliases;

/// <summary>Registry credentials for the rest of the script, never written to a docker config and never logged.</summary>
[CakeAliasCategory("Dockyard")]
public static class DockyardRegistryAliases
{
    /// <summary>
    /// Logs in to <paramref name="server"/> for every later Dockyard alias of this run; the password is added to the
    /// session's masker (it never appears in Cake's log, at any verbosity) and kept in memory only.
    /// </summary>
    /// <example><code>DockyardLogin(EnvironmentVariable("CI_REGISTRY_USER"), EnvironmentVariable("CI_REGISTRY_PASSWORD"), EnvironmentVariable("CI_REGISTRY"));</code></example>
    [CakeMethodAlias]
    public static void DockyardLogin(this ICakeContext context, string username, string password, string server)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (string.IsNullOrEmpty(username) || string.IsNullOrEmpty(password) || string.IsNullOrEmpty(server))
            throw new CakeException("error DY0001: DockyardLogin needs a username, a password and a server (e.g. registry.example.com:5000).");
        var session = DockyardSession.Of(context);
        session.Login(new ExplicitCredential(server, username, password));
        session.Logger(context).Information($"Dockyard: credentials for {username} at {server} kept for this run");
    }
}
