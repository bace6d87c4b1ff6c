# reform-gate in a container (README.md, "Install"):
#   docker build -t reform-gate .
#   docker run --rm -v "$PWD:/work" reform-gate score proposals/
FROM python:3.11-slim

# Only what the package needs to build; tests, docs and seeds stay out of the image.
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY reform_gate ./reform_gate
COPY criteria ./criteria
RUN pip install --no-cache-dir --disable-pip-version-check . && rm -rf /src

# Not root: the proposals are mounted at /work. To write outputs into a mounted folder, run
# with --user "$(id -u):$(id -g)".
RUN useradd --create-home --uid 10001 reform-gate
USER reform-gate
WORKDIR /work
ENTRYPOINT ["reform-gate"]
CMD ["--help"]
