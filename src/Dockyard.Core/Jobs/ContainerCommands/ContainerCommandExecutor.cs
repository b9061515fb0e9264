using Dockyard.Jobs.ContainerCommands.Handlers;

namespace Dockyard.Jobs.ContainerCommands;

/// <summary>Dispatches a parsed container command to the handler of its kind.</summary>
internal sealed class ContainerCommandExecutor(ContainerJob job)
{
    /// <summary>Carries out <paramref name="command"/> (parsed from <paramref name="arguments"/>); returns the exit code.</summary>
    public Task<int> ExecuteAsync(ContainerCommand command, IReadOnlyList<string> arguments, CancellationToken cancellationToken) => command switch
    {
        LoginCommand login => Task.FromResult(LoginHandler.Login(job, login)),
        LogoutCommand logout => Task.FromResult(LoginHandler.Logout(job, logout)),
        KanikoCommand kaniko => KanikoHandler.RunAsync(job, kaniko, cancellationToken),
        BuildCommand build => BuildHandler.RunAsync(job, build, arguments, cancellationToken),
        TagCommand tag => Task.FromResult(TagHandler.Run(job, tag)),
        PushCommand push => TransferHandler.PushAsync(job, push, cancellationToken),
        PullCommand pull => TransferHandler.PullAsync(job, pull, cancellationToken),
        ImagesCommand images => Task.FromResult(ListingHandler.Images(job, images)),
        InspectCommand inspect => Task.FromResult(ListingHandler.Inspect(job, inspect)),
        SaveCommand save => ArchiveHandler.SaveAsync(job, save, cancellationToken),
        LoadCommand load => ArchiveHandler.LoadAsync(job, load, cancellationToken),
        ManifestCreateCommand create => Task.FromResult(IndexHandler.ManifestCreate(job, create)),
        ManifestPushCommand push => IndexHandler.ManifestPushAsync(job, push, cancellationToken),
        IndexCreateCommand create => IndexHandler.ImagetoolsCreateAsync(job, create, cancellationToken),
        ExternalCommand external => ExternalHandler.RunAsync(job, external.Tool, external.Arguments, "a container engine to run it", cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "no handler"),
    };
}
