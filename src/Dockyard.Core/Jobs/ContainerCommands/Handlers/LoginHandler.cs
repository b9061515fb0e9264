using Dockyard.Diagnostics;

namespace Dockyard.Jobs.ContainerCommands.Handlers;

/// <summary><c>docker/buildah/podman login</c> and <c>logout</c>: the job's own login file, never the user's config.</summary>
internal static class LoginHandler
{
    public static int Login(ContainerJob job, LoginCommand login)
    {
        var command = $"{login.Tool} login";
        if (job.IsLocalRegistry(login.Registry))
        {
            if (login.PasswordFromStdin) job.Input.ReadToEnd();
            job.Note($"{login.Registry} is $CI_REGISTRY of a local run: it stands for the local image store, so no login is needed (pushes to it are stored locally).");
            job.Output.WriteLine("Login Succeeded");
            return 0;
        }
        if (string.IsNullOrEmpty(login.Username))
            throw new DockyardException($"{command} {login.Registry}: give the user with -u (Dockyard does not prompt in a job).") { Subject = login.Registry };
        string password;
        if (login.PasswordFromStdin)
        {
            password = job.Input.ReadToEnd().TrimEnd('\n', '\r');
        }
        else
        {
            password = login.Password
                ?? throw new DockyardException($"{command} {login.Registry}: give the password with --password-stdin (or -p); Dockyard does not prompt in a job.") { Subject = login.Registry };
            job.Warn("Using --password via the CLI is insecure. Use --password-stdin.");
        }
        if (password.Length == 0)
            throw new DockyardException($"{command} {login.Registry}: the password is empty; check the variable that should hold it (e.g. CI_REGISTRY_PASSWORD).") { Subject = login.Registry };
        job.Host.Masker.Add(password);
        job.Credentials.Save(login.Registry, login.Username, password);
        job.Output.WriteLine("Login Succeeded");
        return 0;
    }

    public static int Logout(ContainerJob job, LogoutCommand logout)
    {
        job.Output.WriteLine(job.Credentials.Remove(logout.Registry)
            ? $"Removing login credentials for {logout.Registry}"
            : $"Not logged in to {logout.Registry}");
        return 0;
    }
}
