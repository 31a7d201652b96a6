FROM python:3.11-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
EXPOSE 8501
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://localhost:8501/_stcore/health')"
# Inside the container the app must listen on the container's own interface (0.0.0.0): Docker forwards
# the published port there, never to the container's loopback. docker-compose.yml publishes it on the
# host's 127.0.0.1 only, so the app is still reachable from this machine alone.
CMD ["streamlit", "run", "app.py", "--server.port", "8501", "--server.address", "0.0.0.0", "--server.headless", "true", "--browser.gatherUsageStats", "false"]
