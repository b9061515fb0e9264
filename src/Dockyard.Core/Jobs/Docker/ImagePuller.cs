using Docker.DotNet;
using Docker.DotNet.Models;
using Dockyard.Diagnostics;
using Dockyard.Images.Daemon;
using Dockyard.Jobs.Reports;
using Dockyard.Pipelines.Jobs;

namespace Dockyard.Jobs.Docker;

/// <summary>
/// Makes sure the daemon has a job's image (or service image, names already expanded) as its <c>pull_policy</c> says,
/// pulling with <see cref="PullCredentials"/>; the job's trace gets its warnings.
/// </summary>
internal sealed class ImagePuller(DockerClient client, DockerEngine engine, string jobName, PullCredentials credentials, JobTrace trace)
{
    /// <summary>Pulls <paramref name="image"/> or finds it in the daemon, per its pull policies in order.</summary>
    public async Task EnsureAsync(ContainerImage image, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(image);
        var present = await engine.ImageExistsAsync(image.Name, cancellation).ConfigureAwait(false);
        foreach (var policy in PullPolicies.Read(image))
        {
            if (policy == PullPolicy.Never && present) return;
            if (policy == PullPolicy.IfNotPresent && present) return;
            if (policy == PullPolicy.Never) continue;
            var auth = await credentials.ForAsync(image.Name, trace, cancellation).ConfigureAwait(false);
            try
            {
                var progress = new Progress<JSONMessage>();
                await client.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = image.Name, Platform = image.DockerPlatform }, auth, progress, cancellation).ConfigureAwait(false);
                if (await engine.ImageExistsAsync(image.Name, cancellation).ConfigureAwait(false)) return;
            }
            catch (DockerApiException ex) when (present)
            {
                // The runner fails here; locally the daemon's own copy of the image is what the user built or loaded.
                trace.Warning($"pulling {image.Name} failed ({ex.Message.Trim()}); using the image the Docker daemon already has");
                return;
            }
            catch (DockerApiException ex) when (auth is null)
            {
                var registry = PullCredentials.RegistryOf(image.Name);
                throw new DockyardException($"job {jobName}: image {image.Name} could not be pulled by the Docker daemon at {engine.Endpoint}: {ex.Message.Trim()}. No credentials for registry {registry} were found: set DOCKER_AUTH_CONFIG in the job's variables or the variables file, or `docker login {registry}`; or check the name, or build/load it and set pull_policy: if-not-present.") { Subject = image.Name };
            }
            catch (DockerApiException ex)
            {
                throw new DockyardException($"job {jobName}: image {image.Name} could not be pulled by the Docker daemon at {engine.Endpoint} with the credentials found for registry {PullCredentials.RegistryOf(image.Name)}: {ex.Message.Trim()}. Check the name and those credentials, or build/load it and set pull_policy: if-not-present.") { Subject = image.Name };
            }
        }

        throw new DockyardException($"job {jobName}: image {image.Name} is not in the Docker daemon at {engine.Endpoint} and its pull_policy does not allow a pull. Build or load it first.") { Subject = image.Name };
    }
}
