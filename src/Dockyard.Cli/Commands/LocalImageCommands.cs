using System.CommandLine;
using System.Text.Json;
using Dockyard.Diagnostics;
using Dockyard.Hosting;
using Dockyard.Images.Stores;

namespace Dockyard.Cli.Commands;

/// <summary><c>dockyard image ls|tag|rm</c>: the local image store, as their docker namesakes work on the daemon's images.</summary>
public static class LocalImageCommands
{
    /// <summary>Adds <c>ls</c>, <c>tag</c> and <c>rm</c> to the <c>image</c> group.</summary>
    public static void AddTo(Command image, TextWriter stdout, TextWriter stderr)
    {
        image.Subcommands.Add(CreateList(stdout, stderr));
        image.Subcommands.Add(CreateTag(stdout, stderr));
        image.Subcommands.Add(CreateRemove(stdout, stderr));
    }

    private static Option<string?> StoreOption() => new("--store") { Description = "The local image store directory (default: the images folder of Dockyard's cache directory)." };

    private static LocalImageStore Store(ParseResult result, Option<string?> store) =>
        result.GetValue(store) is { } directory ? new LocalImageStore(Path.GetFullPath(directory)) : LocalImageStore.ForHost(HostContext.FromProcess());

    private static Command CreateList(TextWriter stdout, TextWriter stderr)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var store = StoreOption();
        var command = new Command("ls", "List the images of the local store.") { json, store };
        command.Aliases.Add("list");
        command.SetAction(result => Run(stderr, () =>
        {
            var images = Store(result, store).Summaries().OrderByDescending(s => s.Entry.Created).ThenBy(s => s.Entry.Name, StringComparer.Ordinal).ToList();
            if (result.GetValue(json))
            {
                stdout.WriteLine(JsonSerializer.Serialize(images.Select(s => new
                {
                    name = s.Entry.Name, repository = s.Repository, tag = s.Tag, id = s.ImageId.ToString(), digest = s.Entry.Descriptor.Digest,
                    mediaType = s.Entry.Descriptor.MediaType, created = s.Entry.Created, size = s.Size,
                }), new JsonSerializerOptions { WriteIndented = true }));
                return;
            }
            var now = DateTimeOffset.UtcNow;
            DockerOutputStyle.WriteImageTable(stdout, images, now);
        }));
        return command;
    }

    private static Command CreateTag(TextWriter stdout, TextWriter stderr)
    {
        var source = new Argument<string>("SRC") { Description = "The image: NAME[:TAG], NAME@DIGEST or an image ID." };
        var target = new Argument<string>("DST") { Description = "The new name, NAME[:TAG]." };
        var store = StoreOption();
        var command = new Command("tag", "Give an image of the local store another name.") { source, target, store };
        command.SetAction(result => Run(stderr, () =>
        {
            var images = Store(result, store);
            var found = images.Find(result.GetValue(source)!)
                ?? throw new DockyardException($"No such image in the local store ({images.Root}): {result.GetValue(source)}; `dockyard image ls` lists what it holds.");
            images.SetName(result.GetValue(target)!, found.Descriptor);
        }));
        return command;
    }

    private static Command CreateRemove(TextWriter stdout, TextWriter stderr)
    {
        var references = new Argument<string[]>("REF") { Description = "Images to remove: NAME[:TAG], NAME@DIGEST or an image ID.", Arity = ArgumentArity.OneOrMore };
        var force = new Option<bool>("--force", "-f") { Description = "Remove every name of an image ID or digest shared by several names." };
        var store = StoreOption();
        var command = new Command("rm", "Remove names from the local store and delete the blobs nothing uses any more.") { references, force, store };
        command.Aliases.Add("rmi");
        command.SetAction(result =>
        {
            var images = Store(result, store);
            var failed = 0;
            foreach (var reference in result.GetValue(references)!)
            {
                failed += Run(stderr, () =>
                {
                    var removal = images.Remove(reference, result.GetValue(force))
                        ?? throw new DockyardException($"No such image in the local store ({images.Root}): {reference}");
                    foreach (var name in removal.Untagged) stdout.WriteLine($"Untagged: {Familiar(name)}");
                    foreach (var id in removal.DeletedImages) stdout.WriteLine($"Deleted: {id}");
                });
            }
            return failed == 0 ? 0 : 1;
        });
        return command;
    }

    private static string Familiar(string name)
    {
        var reference = Registries.References.ImageReference.Parse(name);
        return $"{LocalImageStore.FamiliarName(reference)}:{reference.Tag}";
    }

    private static int Run(TextWriter stderr, Action action)
    {
        try
        {
            action();
            return 0;
        }
        catch (DockyardException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return 1;
        }
    }
}
