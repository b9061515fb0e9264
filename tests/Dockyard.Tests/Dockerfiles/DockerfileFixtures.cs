namespace Dockyard.Tests.Dockerfiles;

/// <summary>Multi-stage .NET Dockerfiles in the styles Visual Studio, dotnet/dotnet-docker samples and CI repos use.</summary>
internal static class DockerfileFixtures
{
    /// <summary>Visual Studio's "Add Docker support" template (base / build / publish / final).</summary>
    public const string VisualStudio = """
        # See https://aka.ms/customizecontainer to learn how to customize your debug container.

        FROM mcr.microsoft.com/dotnet/aspnet:8.0 AS base
        USER $APP_UID
        WORKDIR /app
        EXPOSE 8080
        EXPOSE 8081

        FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
        ARG BUILD_CONFIGURATION=Release
        WORKDIR /src
        COPY ["WebApp/WebApp.csproj", "WebApp/"]
        RUN dotnet restore "./WebApp/WebApp.csproj"
        COPY . .
        WORKDIR "/src/WebApp"
        RUN dotnet build "./WebApp.csproj" -c $BUILD_CONFIGURATION -o /app/build

        FROM build AS publish
        ARG BUILD_CONFIGURATION=Release
        RUN dotnet publish "./WebApp.csproj" -c $BUILD_CONFIGURATION -o /app/publish /p:UseAppHost=false

        FROM base AS final
        WORKDIR /app
        COPY --from=publish /app/publish .
        ENTRYPOINT ["dotnet", "WebApp.dll"]
        """;

    /// <summary>dotnet-docker's aspnetapp sample: cross-compiling with BuildKit platform ARGs and a cache mount.</summary>
    public const string CrossPlatform = """
        # syntax=docker/dockerfile:1
        # check=error=true

        ARG DOTNET_VERSION=8.0
        FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
        ARG TARGETARCH
        WORKDIR /source

        COPY --link aspnetapp/*.csproj .
        RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
            dotnet restore -a $TARGETARCH

        COPY --link aspnetapp/. .
        RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
            dotnet publish -a $TARGETARCH --no-restore -o /app

        FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}-alpine
        EXPOSE 8080
        WORKDIR /app
        COPY --link --from=build /app .
        USER $APP_UID
        ENTRYPOINT ["./aspnetapp"]
        """;

    /// <summary>A worker image that installs OS packages in the final stage (needs a container).</summary>
    public const string WithAptGet = """
        FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
        WORKDIR /src
        COPY . .
        RUN dotnet publish Worker/Worker.csproj -c Release -o /out

        FROM mcr.microsoft.com/dotnet/runtime:8.0
        RUN apt-get update && apt-get install -y --no-install-recommends curl \
            && rm -rf /var/lib/apt/lists/*
        WORKDIR /app
        COPY --from=build /out ./
        ENTRYPOINT ["dotnet", "Worker.dll"]
        """;

    /// <summary>A single-stage image whose only RUN is the publish (the target stage itself maps to the publish directory).</summary>
    public const string SingleStage = """
        FROM mcr.microsoft.com/dotnet/aspnet:8.0
        WORKDIR /app
        COPY . /src
        RUN cd /src/Api && dotnet publish Api.csproj --configuration Release --output /app
        ENV ASPNETCORE_URLS=http://+:8080 \
            DOTNET_EnableDiagnostics=0
        LABEL org.opencontainers.image.source="https://gitlab.example.com/team/api" \
              org.opencontainers.image.title="api"
        HEALTHCHECK --interval=30s --timeout=3s --retries=3 CMD ["curl", "-f", "http://localhost:8080/health"]
        ENTRYPOINT ["dotnet", "Api.dll"]
        """;
}
